from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from cjm_assess import views

urlpatterns = [
    path("", views.home, name="home"),
    path("methodik/", views.methodology, name="methodology"),
    path("", include("respondent.urls")),
    path("", include("outreach.urls")),
    path("beratung/", include("workspace.urls")),
    path("", include("live.urls")),
    path("konto/anmelden/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("konto/abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/passwort/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("konto/passwort/gesendet/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "konto/passwort/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/passwort/fertig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("konto/", include("accounts.urls")),
    path("impressum/", views.impressum, name="impressum"),
    path("datenschutz/", views.datenschutz, name="datenschutz"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.BENCHMARK_VIEWS:  # the baseline of the benchmarks: a trivial view through the same middleware
    urlpatterns.append(path("bench/trivial/", views.trivial))

handler400 = "cjm_assess.views.handle_bad_request"
handler403 = "cjm_assess.views.handle_permission_denied"
handler404 = "cjm_assess.views.handle_page_not_found"
handler500 = "cjm_assess.views.handle_server_error"
