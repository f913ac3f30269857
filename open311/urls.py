"""``/open311/discovery.{xml,json}`` and GeoReport v2 under ``/open311/v2/``."""

from django.urls import path, re_path

from . import views

app_name = "open311"
FMT = r"\.(?P<fmt>xml|json)"

urlpatterns = [
    re_path(rf"^discovery{FMT}$", views.discovery, name="discovery"),
    path("v2/", views.not_found, name="root"),
    re_path(rf"^v2/services{FMT}$", views.service_list, name="services"),
    re_path(rf"^v2/services/(?P<code>[^/]+?){FMT}$", views.service_definition, name="service"),
    re_path(rf"^v2/requests{FMT}$", views.requests, name="requests"),
    re_path(rf"^v2/requests/(?P<pk>[^/]+?){FMT}$", views.request_detail, name="request"),
    re_path(rf"^v2/tokens/(?P<token>[^/]+?){FMT}$", views.token_detail, name="token"),
    # Anything else under /open311/ answers in the standard's error body (JSON if asked).
    re_path(r"^.*?\.(?P<fmt>json)$", views.not_found),
    re_path(r"^.*$", views.not_found),
]
