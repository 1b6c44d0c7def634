from django.urls import path

from outreach import views

app_name = "outreach"

urlpatterns = [
    path("teilen/<str:token>/", views.shared, name="shared"),
    path("teilen/<str:token>/bericht.pdf", views.report, name="report"),
    path("kontakt/widerruf/<str:token>/", views.withdraw, name="withdraw"),
]
