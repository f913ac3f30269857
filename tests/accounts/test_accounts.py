"""Sign-up, verification, sign-in, password reset, MFA for professionals, the admin login."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.demo import current_totp_code
from accounts.models import Role, User
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_requires_a_verified_email_before_signing_in(
    client, django_capture_on_commit_callbacks
):
    # The mail goes through the outbox: its relay runs once the request's writes commit.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "Sanne@Example.org",
                "weergavenaam": "Sanne",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert (user.email, user.weergavenaam, user.role) == ("sanne@example.org", "Sanne", "bewoner")
    assert len(mail.outbox) == 1

    # Not verified yet: signing in leads back to the verification notice.
    login = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert login.url == reverse("account_email_verification_sent")

    link = confirmation_link(mail.outbox[-1])
    assert client.get(link).status_code == 200  # a confirmation page, not an action on GET
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert client.get("/").context["user"] == user


def test_signup_bad_input_saves_nothing(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-address", "password1": "kort", "password2": "anders"},
    )
    assert response.status_code == 200
    assert "Voer een geldig e-mailadres in" in response.content.decode()
    assert not User.objects.exists()


def test_password_reset_does_not_reveal_whether_an_account_exists(
    client, resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("account_reset_password"), {"email": resident.email})
        unknown = client.post(reverse("account_reset_password"), {"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    # The real owner gets a reset link; the unknown address gets no link to anything.
    resident_mail = [m for m in mail.outbox if m.to == [resident.email]]
    assert "/accounts/password/reset/key/" in resident_mail[0].body
    assert all(
        "/password/reset/key/" not in m.body for m in mail.outbox if m.to != [resident.email]
    )


def test_repeated_failed_logins_are_rate_limited(client, resident):
    url = reverse("account_login")
    for _attempt in range(5):
        wrong = client.post(url, {"login": resident.email, "password": "fout-wachtwoord"})
        assert "niet correct" in wrong.content.decode()
    blocked = client.post(url, {"login": resident.email, "password": PASSWORD})
    assert "Te veel inlogpogingen" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_residents_sign_in_and_reset_passwords_while_redis_is_down(client, resident):
    """The cache only speeds things up: with Redis unreachable, sign-in and password reset
    work (their rate limits kept in the database meanwhile) instead of answering 500."""
    dead_redis = {
        "default": {
            "BACKEND": "wijkaanpak.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens here
            "OPTIONS": {"FALLBACK": "security"},
        },
        "security": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "wijkaanpak_security_cache",
        },
    }
    with override_settings(CACHES=dead_redis):
        reset = client.post(reverse("account_reset_password"), {"email": resident.email})
        assert reset.status_code == 302
        signed_in = client.post(
            reverse("account_login"), {"login": resident.email, "password": PASSWORD}
        )
        assert signed_in.status_code == 302
        assert client.session["_auth_user_id"] == str(resident.pk)


def test_account_pages_are_dutch_by_default_and_english_on_request(client):
    dutch = client.get(reverse("account_login")).content.decode()
    assert '<html lang="nl">' in dutch
    assert "Wachtwoord vergeten?" in dutch
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("account_login")).content.decode()
    assert '<html lang="en">' in english
    assert "Forgot your password?" in english


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.POLITIE, Role.HANDHAVING])
def test_professionals_must_set_up_mfa_before_opening_their_pages(login, wijk, role):
    user = factories.professional(role, wijk, mfa=False)
    client = login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    # The set-up page itself opens, in the site's look, with the reason.
    setup = client.get(reverse("mfa_activate_totp"), follow=True)
    assert setup.status_code == 200
    assert "is tweestapsverificatie verplicht" in setup.content.decode()

    TOTP.activate(user, generate_totp_secret())
    assert client.get("/").status_code == 200


def test_a_professionals_app_is_asked_of_the_database_once_and_its_removal_counts_at_once(
    login, wijk, django_capture_on_commit_callbacks
):
    user = factories.professional(Role.POLITIE, wijk)
    client = login(user)
    assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not any("mfa_authenticator" in q["sql"] for q in queries.captured_queries)

    with django_capture_on_commit_callbacks(execute=True):
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_residents_do_not_need_mfa_but_may_set_it_up(client, resident):
    client.post(reverse("account_login"), {"login": resident.email, "password": PASSWORD})
    assert client.get("/").status_code == 200
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    assert "Authenticator" in setup.content.decode()


def test_professional_signs_in_with_password_then_totp(client, coordinator):
    response = client.post(
        reverse("account_login"), {"login": coordinator.email, "password": PASSWORD}
    )
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    client.post(reverse("mfa_authenticate"), {"code": current_totp_code(coordinator)})
    assert int(client.session["_auth_user_id"]) == coordinator.pk
    assert Authenticator.objects.filter(user=coordinator).exists()


def test_admin_login_goes_through_allauth(client, login):
    response = client.get("/beheer/", follow=True)
    final_url, _status = response.redirect_chain[-1]
    assert final_url.startswith(reverse("account_login"))
    assert "next=%2Fbeheer%2F" in final_url
    admin = factories.UserFactory(
        role=Role.BEHEERDER, is_staff=True, is_superuser=True, email="beheer@example.org"
    )
    assert login(admin).get("/beheer/").status_code == 200
    # Signed in but not staff: no admin.
    assert login(factories.UserFactory()).get("/beheer/", follow=True).status_code == 403


def test_signed_in_pages_are_not_cached_and_every_page_has_a_strict_csp(client, login, resident):
    anonymous = client.get("/")
    csp = anonymous["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    signed_in = login(resident).get("/")
    assert "no-store" in signed_in["Cache-Control"]
    assert "unsafe-inline" not in signed_in["Content-Security-Policy"]


def test_a_professional_role_needs_a_team_of_their_organisation(wijk):
    gemeente_team = factories.TeamFactory()
    user = User(email="agent@example.org", role=Role.POLITIE, team=gemeente_team)
    with pytest.raises(ValidationError, match="Politie"):
        user.full_clean()


def test_an_english_browser_still_gets_dutch_until_the_switch_is_used(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nl">' in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


def test_password_rules_are_explained_in_informal_dutch(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "kort@example.org", "password1": "kort1", "password2": "kort1"},
    )
    html = response.content.decode()
    assert "Dit wachtwoord is te kort: gebruik minstens 10 tekens." in html
    assert "Je wachtwoord moet minstens 10 tekens lang zijn." in html
    assert "Uw wachtwoord" not in html
