from django.urls import path
from rest_framework.routers import SimpleRouter

from flows import api

router = SimpleRouter()
router.register("flows", api.FlowViewSet, basename="flows")
router.register(r"flows/(?P<flow_id>[0-9]+)/versions", api.FlowVersionViewSet, basename="flow-versions")

store_urlpatterns = [
    path("node-types/", api.NodeTypes.as_view(), name="node-types"),
    *router.urls,
]
