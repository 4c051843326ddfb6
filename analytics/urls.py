from django.urls import path

from analytics import views

# Under /s/<store_slug>/.
store_urlpatterns = [
    path("analytics/", views.analytics_overview, name="analytics_overview"),
    path("analytics/flows/", views.analytics_flows, name="analytics_flows"),
    path("analytics/flows/<int:flow_id>/", views.analytics_funnel, name="analytics_funnel"),
    path("analytics/experiments/", views.analytics_experiments, name="analytics_experiments"),
    path("analytics/unanswered/", views.analytics_unanswered, name="analytics_unanswered"),
    path("analytics/unanswered/faq/", views.analytics_unanswered_faq, name="analytics_unanswered_faq"),
    path("analytics/export.csv", views.analytics_export, name="analytics_export"),
]
