from django.apps import AppConfig


class FlowsConfig(AppConfig):
    name = "flows"

    def ready(self):
        from flows.demo import seed_demo_flows
        from tenants import demo

        demo.register(demo.DemoSeeder("flows", seed_demo_flows, order=50))

        from django.db.models.signals import post_save

        from flows.understanding.signals import store_created
        from tenants.models import Store

        post_save.connect(store_created, sender=Store, dispatch_uid="flows.understanding.store_created")
