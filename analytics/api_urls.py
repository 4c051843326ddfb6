from django.urls import path

from analytics import api

# Under /api/v1/s/<store_slug>/.
store_urlpatterns = [
    path("analytics/overview/", api.Overview.as_view(), name="analytics-overview"),
    path("analytics/flows/<int:flow_id>/funnel/", api.Funnel.as_view(), name="analytics-funnel"),
    path("analytics/experiments/", api.Experiments.as_view(), name="analytics-experiments"),
    path("analytics/revenue/", api.Revenue.as_view(), name="analytics-revenue"),
    path("analytics/unanswered/", api.Unanswered.as_view(), name="analytics-unanswered"),
    path("analytics/export/", api.Export.as_view(), name="analytics-export"),
]
