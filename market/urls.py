"""The consultant's market view; included under the workspace (beratung/markt/)."""

from django.urls import path

from market import views

app_name = "market"

urlpatterns = [
    path("", views.market, name="view"),
    path("markt.csv", views.market_csv, name="csv"),
]
