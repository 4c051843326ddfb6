from django.apps import AppConfig


class FlowsConfig(AppConfig):
    name = "flows"

    def ready(self):
        from flows.demo import seed_demo_flows
        from tenants import demo

        demo.register(demo.DemoSeeder("flows", seed_demo_flows, order=50))
