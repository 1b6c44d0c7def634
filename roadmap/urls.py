from django.urls import path

from roadmap import views

urlpatterns = [
    path("a/<uuid:key>/", views.plan, name="roadmap_plan"),
    path("bearbeiten/<uuid:key>/", views.edit, name="roadmap_edit"),
    path("bearbeiten/<uuid:key>/einstellungen/", views.settings_save, name="roadmap_settings"),
    path("bearbeiten/<uuid:key>/neu-planen/", views.replan, name="roadmap_replan"),
    path("bearbeiten/<uuid:key>/massnahme/<int:item_id>/", views.item_save, name="roadmap_item"),
    path("bearbeiten/<uuid:key>/eigene-massnahme/", views.custom_add, name="roadmap_custom"),
]
