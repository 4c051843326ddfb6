from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Shop mirror and platform sync"

    def ready(self):
        from integrations import privacy_handlers
        from tenants import privacy

        privacy.register(privacy_handlers.HANDLER)
