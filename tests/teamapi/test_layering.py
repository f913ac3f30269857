"""The team API sits under every app that serves ``/api/v1/``: it may use accounts and the
project's helpers, never the apps built on it (the layers contracts check the whole graph)."""

import grimp
import pytest

ABOVE = ["buurten", "meldingen", "activiteiten", "indicatoren", "open311"]


@pytest.mark.parametrize("app", ABOVE)
def test_teamapi_imports_no_app_built_on_it(app):
    graph = grimp.build_graph("teamapi", "accounts", "notificaties", "wijkaanpak", *ABOVE)
    chain = graph.find_shortest_chain(importer="teamapi", imported=app, as_packages=True)
    assert chain is None, " → ".join(chain)
