from django.urls import path

from conversations import views

# Under /s/<store_slug>/.
store_urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/canned/", views.canned_responses, name="canned_responses"),
    path("inbox/canned/<int:canned_id>/", views.canned_response_edit, name="canned_response_edit"),
    path("inbox/canned/<int:canned_id>/delete/", views.canned_response_delete, name="canned_response_delete"),
]
