from django.apps import AppConfig


def seed_demo_shop(store) -> str:
    from integrations.demo import seed_demo_mirror

    counts = seed_demo_mirror(store)
    return "shop: " + ", ".join(f"{n} {what}" for what, n in counts.items())


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Shop mirror and platform sync"

    def ready(self):
        from integrations import privacy_handlers
        from tenants import demo, privacy

        privacy.register(privacy_handlers.HANDLER)
        demo.register(demo.DemoSeeder("integrations", seed_demo_shop, order=10))  # the shop before the flows
