from django.urls import path

from conversations import views

# Under /s/<store_slug>/.
store_urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
]
