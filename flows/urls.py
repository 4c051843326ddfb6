from django.urls import path

from flows import views

# Under /s/<store_slug>/.
store_urlpatterns = [
    path("understanding/", views.understanding, name="understanding"),
    path("understanding/intents/", views.intent_add, name="intent_add"),
    path("understanding/intents/<int:intent_id>/delete/", views.intent_delete, name="intent_delete"),
    path("understanding/faqs/", views.faq_add, name="faq_add"),
    path("understanding/faqs/<int:faq_id>/delete/", views.faq_delete, name="faq_delete"),
    path("understanding/threshold/", views.threshold_set, name="intent_threshold"),
]
