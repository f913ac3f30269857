"""Every kind of notification has its one renderer once the apps are loaded: a kind added to
``Notificatie.Soort`` without registering what it says fails here, not when the relay first
meets one in production."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from notificaties import soorten
from notificaties.models import Notificatie


def test_every_kind_has_a_renderer_registered_by_its_app():
    registered = soorten.registered()
    assert set(registered) == set(Notificatie.Soort) - soorten.STORED
    # Each renderer lives with the app whose rows it reads: notificaties imports no app.
    assert not [r for r in registered.values() if r.__module__.startswith("notificaties")]


def test_a_second_renderer_for_a_kind_is_refused():
    first = soorten.registered()[Notificatie.Soort.WELKOM]
    with pytest.raises(ImproperlyConfigured, match=r"already has a renderer: buurten\.notices"):
        soorten.register(Notificatie.Soort.WELKOM)(lambda row: None)
    with pytest.raises(ImproperlyConfigured, match="stored"):
        soorten.register(Notificatie.Soort.ACCOUNT)(lambda row: None)
    assert soorten.registered()[Notificatie.Soort.WELKOM] is first


def test_every_kind_but_account_mail_has_its_inbox_line_beside_its_renderer():
    assert soorten.in_site() == set(Notificatie.Soort) - soorten.STORED
    renderers = soorten.registered()
    for soort, summariser in soorten.summarisers().items():
        # In the same module as the kind's e-mail: what a kind says is in one place.
        assert summariser.__module__ == renderers[soort].__module__, soort


def test_a_second_inbox_line_for_a_kind_is_refused():
    with pytest.raises(ImproperlyConfigured, match="already has its inbox line"):
        soorten.register_regels(Notificatie.Soort.WELKOM)(lambda rows: {})
    with pytest.raises(ImproperlyConfigured, match="account mail"):
        soorten.register_regels(Notificatie.Soort.ACCOUNT)(lambda rows: {})


@pytest.mark.django_db
def test_an_inbox_line_whose_cause_is_gone_is_left_out(member):
    """Every kind's line, asked about an event that does not exist (deleted, erased)."""
    rows = [
        Notificatie.objects.create(soort=soort, object_id=987654, ontvanger=member)
        for soort in soorten.in_site()
    ]
    assert soorten.summarise(rows) == {}
