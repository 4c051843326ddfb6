from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Stores and teams"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from tenants import privacy, privacy_handlers, services
        from tenants.throttle import client_ip

        def remember_session(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session") and request.session.session_key:
                services.track_session(
                    user, request.session.session_key,
                    ip=client_ip(request), user_agent=request.headers.get("User-Agent", ""),
                )  # fmt: skip

        user_logged_in.connect(remember_session, dispatch_uid="tenants.remember_session")
        privacy.register(privacy_handlers.HANDLER)
