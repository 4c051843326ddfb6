from django.apps import AppConfig


class BotplatformConfig(AppConfig):
    name = "botplatform"
    verbose_name = "Platform"
