from django.urls import path
from rest_framework.routers import SimpleRouter

from flows import api, understanding_api
from flows.triggers import api as trigger_api

router = SimpleRouter()
router.register("flows", api.FlowViewSet, basename="flows")
router.register(r"flows/(?P<flow_id>[0-9]+)/versions", api.FlowVersionViewSet, basename="flow-versions")
router.register("intents", understanding_api.IntentViewSet, basename="intents")
router.register("faq-entries", understanding_api.FaqEntryViewSet, basename="faq-entries")

store_urlpatterns = [
    path("node-types/", api.NodeTypes.as_view(), name="node-types"),
    path("starter-templates/", api.StarterTemplates.as_view(), name="starter-templates"),
    path("trigger-kinds/", trigger_api.TriggerKinds.as_view(), name="trigger-kinds"),
    path("flows/<int:flow_id>/triggers/", trigger_api.FlowTriggers.as_view(), name="flow-triggers"),
    *router.urls,
]
