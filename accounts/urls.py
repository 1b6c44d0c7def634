from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("bestaetigen/", views.verify, name="verify"),
    path("zweiter-faktor/", views.setup, name="setup"),
    path("wiederherstellungscodes/", views.recovery_codes, name="recovery_codes"),
]
