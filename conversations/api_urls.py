from rest_framework.routers import SimpleRouter

from conversations import api, campaign_api

router = SimpleRouter()
router.register("canned-responses", api.CannedResponseViewSet, basename="canned-responses")
router.register("campaigns", campaign_api.CampaignViewSet, basename="campaigns")

# Under /api/v1/s/<store_slug>/.
store_urlpatterns = [*router.urls]
