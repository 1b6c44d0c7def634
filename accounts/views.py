"""Signing in with a second factor: entering a code, setting up an authenticator app, recovery codes; and the
password reset, which answers alike whether or not an address has an account.

Every page here is for a signed-in user; accounts.middleware sends a user without the second factor here.
"""

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.codes import totp_key_base32
from accounts.forms import CodeForm, EnrolForm, PasswordResetForm
from accounts.middleware import has_second_factor
from accounts.models import RecoveryCodes
from accounts.qr import qr_code
from accounts.services import SecondFactorThrottled
from cjm_assess.http import PRIVATE_CACHE_CONTROL, too_many
from cjm_assess.ratelimit import PASSWORD_RESETS_PER_ACCOUNT, PASSWORD_RESETS_PER_ADDRESS, pseudonym
from cjm_assess.security import client_ip, security_event


def _next_url(request) -> str:
    """Where to go after this step: the page that asked for it (same site only), else the dashboard."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: a code from the authenticator app or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not has_second_factor(user):
        return redirect(_with_next("accounts:setup", request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(user=user, code=form.cleaned_data["code"])
        except SecondFactorThrottled as wait:
            security_event(request, "second_factor_throttled")
            form.add_error(
                "code",
                ngettext(
                    "Too many wrong codes. Please wait %(n)s second and try again.",
                    "Too many wrong codes. Please wait %(n)s seconds and try again.",
                    wait.seconds,
                )
                % {"n": wait.seconds},
            )
        else:
            if device is not None:
                request.session.cycle_key()  # a new session id for the new privilege
                django_otp.login(request, device)
                if isinstance(device, RecoveryCodes):
                    left = RecoveryCodes.left_for(user)
                    messages.warning(
                        request,
                        ngettext(
                            "You signed in with a recovery code; %(n)s is left. If your phone is lost, set up "
                            "the authenticator app again.",
                            "You signed in with a recovery code; %(n)s are left. If your phone is lost, set up "
                            "the authenticator app again.",
                            left,
                        )
                        % {"n": left},
                    )
                return redirect(_next_url(request))
            security_event(request, "second_factor_failed")
            form.add_error("code", _("This code is not right. Please try again."))
    return render(
        request,
        "registration/second_factor.html",
        {"form": form, "next": _next_url(request)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Sets up the authenticator app (forced at the first sign-in; later, with both factors, to replace it)."""
    user = request.user
    if has_second_factor(user) and not user.is_verified():
        return redirect(_with_next("accounts:verify", request))
    form = EnrolForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        enrolment = services.second_factor_enrol(user=user, key=form.cleaned_data["key"], step=form.step)
        request.session.cycle_key()
        django_otp.login(request, enrolment.device)
        security_event(request, "second_factor_enrolled")
        return _recovery_codes_page(request, enrolment.recovery_codes)
    secret = form.secret
    expired = secret is None  # the posted page is too old (or forged): a new secret, a new QR code
    if expired:
        form = EnrolForm(user=user)
        secret = form.secret
    uri = TOTPDevice(user=user, key=secret).config_url  # unsaved: showing the page writes nothing
    response = render(
        request,
        "registration/second_factor_setup.html",
        {
            "form": form,
            "qr": qr_code(uri),
            "secret": totp_key_base32(secret),
            "replacing": has_second_factor(user),
            "expired": expired,
            "next": _next_url(request),
        },
        status=400 if request.method == "POST" else 200,
    )
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL  # the page shows the secret
    return response


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """How many recovery codes are left, and a new set (the old ones stop working)."""
    if request.method == "POST":
        codes = services.recovery_codes_renew(user=request.user)
        security_event(request, "recovery_codes_renewed")
        return _recovery_codes_page(request, codes)
    return render(
        request,
        "registration/second_factor_manage.html",
        {"left": RecoveryCodes.left_for(request.user)},
    )


def _recovery_codes_page(request, codes: list[str]):
    """The recovery codes, in this response only (they are stored as hashes)."""
    response = render(
        request, "registration/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited per client address and per e-mail address asked for, with the mail
    composed and sent in the background (the same answer, in the same time, for every address)."""

    form_class = PasswordResetForm

    def post(self, request, *args, **kwargs):
        if PASSWORD_RESETS_PER_ADDRESS.hit(client_ip(request)):
            security_event(request, "rate_limited", what="password_resets")
            return too_many(
                request,
                _("There were too many requests for a new password from your network. Please wait an hour."),
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Per address asked for, whether or not it has an account: a mailbox gets at most a few mails an hour,
        # and the answer is the same either way.
        if PASSWORD_RESETS_PER_ACCOUNT.hit(pseudonym(form.cleaned_data["email"])):
            security_event(request=self.request, event="rate_limited", what="password_reset_mails")
            return redirect(self.get_success_url())
        return super().form_valid(form)
