from django.urls import path

from conversations import campaign_views, views

# Under /s/<store_slug>/.
store_urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/canned/", views.canned_responses, name="canned_responses"),
    path("inbox/canned/<int:canned_id>/", views.canned_response_edit, name="canned_response_edit"),
    path("inbox/canned/<int:canned_id>/delete/", views.canned_response_delete, name="canned_response_delete"),
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/<int:campaign_id>/toggle/", campaign_views.campaign_toggle, name="campaign_toggle"),
    path("campaigns/<int:campaign_id>/delete/", campaign_views.campaign_delete, name="campaign_delete"),
]
