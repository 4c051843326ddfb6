from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from analytics import api_urls as analytics_api
from analytics import urls as analytics_urls
from botplatform import views
from conversations import api_urls as conversations_api
from conversations import urls as conversations_urls
from flows import api_urls as flows_api
from flows import urls as flows_urls
from integrations import api_urls as integrations_api
from integrations import urls as integrations_urls
from tenants import api_urls as tenants_api
from tenants import urls as tenants_urls
from widget import urls as widget_urls

api_patterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    *tenants_api.user_urlpatterns,
    path("s/<slug:store_slug>/", include(tenants_api.store_urlpatterns)),
    path("s/<slug:store_slug>/", include(flows_api.store_urlpatterns)),
    path("s/<slug:store_slug>/", include(integrations_api.store_urlpatterns)),
    path("s/<slug:store_slug>/", include(conversations_api.store_urlpatterns)),
    path("s/<slug:store_slug>/", include(analytics_api.store_urlpatterns)),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("api/v1/", include((api_patterns, "api"))),
    path("s/<slug:store_slug>/", include(tenants_urls.store_urlpatterns)),
    path("s/<slug:store_slug>/", include(integrations_urls.store_urlpatterns)),
    path("s/<slug:store_slug>/", include(flows_urls.store_urlpatterns)),
    path("s/<slug:store_slug>/", include(conversations_urls.store_urlpatterns)),
    path("s/<slug:store_slug>/", include(analytics_urls.store_urlpatterns)),
    *integrations_urls.public_urlpatterns,
    *tenants_urls.account_urlpatterns,
    *widget_urls.urlpatterns,
]

handler400 = "botplatform.views.bad_request"
handler403 = "botplatform.views.permission_denied"
handler404 = "botplatform.views.page_not_found"
handler500 = "botplatform.views.server_error"
