"""The project's URLs plus the two reference views of throughput.py."""

from django.urls import include, path

from bench import adr0019_stores, views
from teamapi import throttling

# A load test sends far more than a team's system may: lift the per-token limit. The limiter
# still runs (and still costs its Redis round trip) on every request.
throttling.REQUESTS_PER_TOKEN = "100000000/m"  # noqa: S105 (a rate)

urlpatterns = [
    path("bench/feed-template/", views.feed_template, name="bench-feed-template"),
    path("bench/json/", views.minimal_json, name="bench-json"),
    path("bench/token-json/", views.TokenJSON.as_view(), name="bench-token-json"),
    *(
        path(f"bench/adr0019/{i}/", view.as_view(), name=f"bench-adr0019-{i}")
        for i, view in enumerate(adr0019_stores.VIEWS.values())
    ),
    path("", include("wijkaanpak.urls")),
]
