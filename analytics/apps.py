from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"

    def ready(self):
        from analytics.demo import seed_demo_analytics
        from tenants import demo

        demo.register(demo.DemoSeeder("analytics", seed_demo_analytics, order=80))
