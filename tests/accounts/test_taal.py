"""The language a person uses the site in is remembered (``User.taal``), so their e-mails are
written in it: kept by the language switch, set at sign-up and by a switch made just before
signing in. Visitors without an account only get the cookie, as before."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def switch(client, language):
    return client.post(reverse("set_language"), {"language": language, "next": "/"})


def test_a_new_account_speaks_dutch(resident):
    assert resident.taal == "nl"


def test_switching_language_updates_a_signed_in_users_preference(login, member):
    client = login(member)
    assert switch(client, "en").status_code == 302
    member.refresh_from_db()
    assert member.taal == "en"
    assert '<html lang="en">' in client.get("/").content.decode()
    switch(client, "nl")
    member.refresh_from_db()
    assert member.taal == "nl"


@pytest.mark.parametrize("language", ["de", "", "en-gb-x-nonsense"])
def test_a_language_the_site_does_not_offer_changes_nothing(login, member, language):
    """Django's switch sets a cookie for any language it has a catalogue of (German): the site
    stays Dutch for such a visitor, and so do their e-mails."""
    client = login(member)
    switch(client, "en")
    assert switch(client, language).status_code == 302
    member.refresh_from_db()
    assert member.taal == "en"


def test_a_get_of_the_switch_changes_no_preference(login, member):
    client = login(member)
    assert client.get(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    member.refresh_from_db()
    assert member.taal == "nl"


def test_anonymous_visitors_switch_as_before_and_no_account_changes(client, resident):
    response = switch(client, "en")
    assert response.status_code == 302 and response["Location"] == "/"
    assert '<html lang="en">' in client.get("/").content.decode()
    assert set(User.objects.values_list("taal", flat=True)) == {"nl"}


def test_signing_up_in_english_stores_english_and_the_verification_mail_is_english(
    client, django_capture_on_commit_callbacks
):
    from django.core import mail

    switch(client, "en")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "newcomer@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response.status_code == 302
    assert User.objects.get(email="newcomer@example.org").taal == "en"
    (verification,) = mail.outbox
    assert "Please Confirm Your Email Address" in verification.subject


def test_signing_up_without_a_switch_stores_dutch(client):
    client.post(
        reverse("account_signup"),
        {"email": "nieuw@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert User.objects.get(email="nieuw@example.org").taal == "nl"


def test_a_switch_made_before_signing_in_becomes_the_users_language(client):
    user = factories.UserFactory()
    switch(client, "en")
    signed_in = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    user.refresh_from_db()
    assert user.taal == "en"


def test_signing_in_without_a_switch_keeps_the_stored_language(client):
    """A new browser has made no choice: the language chosen earlier stays."""
    user = factories.UserFactory(taal="en")
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    user.refresh_from_db()
    assert user.taal == "en"


def test_a_new_browser_speaks_the_language_kept_with_the_account(client, member):
    """Signing in on a phone that never used the switch: the site is English at once for a
    person who chose English before, and stays so (the cookie is set); Dutch sets nothing."""
    member.taal = "en"
    member.save(update_fields=["taal"])
    client.force_login(member)
    response = client.get("/")
    assert '<html lang="en">' in response.content.decode()
    assert response.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/").content.decode()
    switch(client, "nl")
    assert '<html lang="nl">' in client.get("/").content.decode()
    member.refresh_from_db()
    assert member.taal == "nl"


def test_a_person_who_speaks_dutch_gets_no_language_cookie(client, member):
    client.force_login(member)
    response = client.get("/")
    assert '<html lang="nl">' in response.content.decode()
    assert "django_language" not in response.cookies
