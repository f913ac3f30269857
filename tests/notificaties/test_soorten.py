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
