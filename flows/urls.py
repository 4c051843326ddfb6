from django.urls import path

from flows import builder_views, views

# Under /s/<store_slug>/.
store_urlpatterns = [
    path("understanding/", views.understanding, name="understanding"),
    path("understanding/intents/", views.intent_add, name="intent_add"),
    path("understanding/intents/<int:intent_id>/delete/", views.intent_delete, name="intent_delete"),
    path("understanding/faqs/", views.faq_add, name="faq_add"),
    path("understanding/faqs/<int:faq_id>/delete/", views.faq_delete, name="faq_delete"),
    path("understanding/threshold/", views.threshold_set, name="intent_threshold"),
    path("flows/", builder_views.flow_list, name="flow_list"),
    path("flows/new/", builder_views.flow_create, name="flow_create"),
    path("flows/import/", builder_views.flow_import, name="flow_import"),
    path("flows/<int:flow_id>/builder/", builder_views.flow_builder, name="flow_builder"),
    path("flows/<int:flow_id>/duplicate/", builder_views.flow_duplicate, name="flow_duplicate"),
    path("flows/<int:flow_id>/preview/", builder_views.flow_preview_frame, name="flow_preview_frame"),
]
