from rest_framework.routers import SimpleRouter

from conversations import campaign_api

router = SimpleRouter()
router.register("campaigns", campaign_api.CampaignViewSet, basename="campaigns")

# Under /api/v1/s/<store_slug>/.
store_urlpatterns = [*router.urls]
