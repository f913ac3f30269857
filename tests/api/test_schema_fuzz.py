"""Schemathesis against /api/schema/: generated requests to every operation of the JSON API,
with a team token and without; no 500, every answer (status, content type, headers, body)
matches the schema, schema-invalid input is refused and the token is required exactly where the
schema says so. Bounded: a few dozen examples per operation, no deadline per example."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from activiteiten.models import Activiteit
from meldingen.models import Doel, RoutingRegel
from meldingen.services import Beschrijving
from teamapi.services import feed_token_issue
from tests import factories

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    # Schema-invalid input (an empty value, a date that is none) is refused, not ignored.
    negative_data_rejection,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_data(db, buurt, police):
    """Rows for every answer to carry: meldingen in the team's feed, activities of both kinds."""
    categorie = factories.CategorieFactory(naam="Fuzz-politie")
    RoutingRegel.objects.create(volgorde=1, categorie=categorie, doel=Doel.POLITIE)
    for i in range(3):
        factories.melding(
            buurt=buurt,
            categorie=categorie,
            beschrijving=Beschrijving(persoon_kleding="jas", voertuig_kenteken=f"XL-{i}"),
        )
    factories.activiteit(buurt=buurt, zichtbaarheid=Activiteit.Zichtbaarheid.OPENBAAR)
    factories.activiteit(buurt=buurt, rollen=[("Loper", 2)])
    # The WSGI handler would close the test's database connection after each request, as it
    # does in production; Django's own test client switches that off the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield feed_token_issue(team=police.team, naam="Fuzz", by=police)[1]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded once, from the project's own /api/schema/ through its whole middleware stack (the
# schema view reads no database). Schemathesis' lazy fixture loader does not run on pytest 9.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
# Valid and invalid parameters alike (nonsense ids, dates, numbers out of range); no example
# database in the work tree; the same examples every run, so CI does not flake.
schema.config.generation.update(
    modes=list(schemathesis.GenerationMode), database="none", deterministic=True
)
# As behind the TLS proxy: no redirect to https whatever DJANGO_SECURE_SSL_REDIRECT says.
HTTPS = {"X-Forwarded-Proto": "https"}


FUZZ = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@schema.parametrize()
@FUZZ
def test_the_api_keeps_to_its_schema_for_a_team_system(case, api_data):
    response = case.call(headers={**HTTPS, "Authorization": f"Bearer {api_data}"})
    case.validate_response(response, checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_the_api_keeps_to_its_schema_without_a_token(case, api_data):
    response = case.call(headers=HTTPS)
    # Without the team's key (none, or a generated one): an operation whose schema asks for the
    # token refuses; one that offers "no token" ({} in its security) is left alone.
    case.validate_response(response, checks=[*CHECKS, ignored_auth])
