from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "conversations"

    def ready(self):
        from conversations import privacy_handlers
        from tenants import privacy

        privacy.register(privacy_handlers.HANDLER)

        from conversations.demo import seed_demo_campaigns
        from tenants import demo

        demo.register(demo.DemoSeeder("campaigns", seed_demo_campaigns, order=60))
