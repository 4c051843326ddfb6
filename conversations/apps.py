from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "conversations"

    def ready(self):
        from conversations import privacy_handlers
        from tenants import privacy

        privacy.register(privacy_handlers.HANDLER)
