"""``/api/v1/``: the JSON API for the platform's own clients, its OpenAPI 3 schema and docs.

Every view authenticates with a team token (``teamapi.authentication.TeamTokenAuthentication``) and
scopes with the selectors the web pages use.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from drf_spectacular.views import SpectacularSwaggerSplitView as SwaggerView

from activiteiten import api as activiteiten_api
from indicatoren import api as indicatoren_api
from meldingen import api as meldingen_api
from teamapi import errors as api_errors

v1 = [
    path("meldingen/feed/", meldingen_api.FeedView.as_view(), name="api-feed"),
    path("meldingen/fotos/<int:pk>/", meldingen_api.FeedFotoView.as_view(), name="api-feed-foto"),
    path("activiteiten/", activiteiten_api.ActiviteitListView.as_view(), name="api-activiteiten"),
    path(
        "activiteiten/<int:pk>/",
        activiteiten_api.ActiviteitDetailView.as_view(),
        name="api-activiteit",
    ),
    path("indicatoren/", indicatoren_api.IndicatorenListView.as_view(), name="api-indicatoren"),
    path(
        "indicatoren/<str:code>/",
        indicatoren_api.IndicatorenGemeenteView.as_view(),
        name="api-indicatoren-gemeente",
    ),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI from static files (drf-spectacular-sidecar) with its start script from a URL of
    # its own: nothing inline, so the CSP stays 'self'. (ReDoc is left out: it injects <style>
    # elements at run time, which that CSP blocks.)
    path("docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Any character, a newline (%0A) included: `.` would not match it and Django's HTML page
    # would answer (with DEBUG on, the handler404 in wijkaanpak.urls is not used).
    re_path(r"^[\s\S]*$", api_errors.not_found),
]
