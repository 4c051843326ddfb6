from rest_framework.routers import SimpleRouter

from conversations import api

router = SimpleRouter()
router.register("canned-responses", api.CannedResponseViewSet, basename="canned-responses")

# Under /api/v1/s/<store_slug>/.
store_urlpatterns = [*router.urls]
