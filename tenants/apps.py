from django.apps import AppConfig


def remember_session(sender, request, user, **kwargs):
    """Record each log-in's session so that removal from a team or a new password can end it."""
    from tenants import services
    from tenants.throttle import client_ip

    if request is not None and hasattr(request, "session") and request.session.session_key:
        services.track_session(
            user, request.session.session_key, ip=client_ip(request), user_agent=request.headers.get("User-Agent", "")
        )


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Stores and teams"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from tenants import privacy, privacy_handlers

        user_logged_in.connect(remember_session, dispatch_uid="tenants.remember_session")
        privacy.register(privacy_handlers.HANDLER)
