from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "conversations"

    def ready(self):
        from conversations import canned, inbox, privacy_handlers
        from conversations.demo import seed_demo_campaigns
        from tenants import demo, privacy
        from tenants.signals import member_removed

        privacy.register(privacy_handlers.HANDLER)
        demo.register(demo.DemoSeeder("canned_responses", canned.seed_demo_canned_responses, order=60))
        demo.register(demo.DemoSeeder("campaigns", seed_demo_campaigns, order=60))
        member_removed.connect(inbox.close_removed_members_sockets, dispatch_uid="conversations.close_sockets")
