"""One error body for every answer under /api/: ``{"error": "...", "fields": {...}}``. DRF's
errors pass through ``exception_handler``; what Django answers itself (a path no pattern
matches, a bad Host header, an unhandled exception) through the ``handler*`` views below, which
``wijkaanpak.urls`` installs for the whole site and which leave other paths to Django's pages.
``ErrorSerializer`` and ``ERRORS`` describe that body in the schema."""

import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES = {
    exceptions.NotAuthenticated: "missing, unknown or revoked token",
    exceptions.AuthenticationFailed: "missing, unknown or revoked token",
    exceptions.Throttled: "too many requests",
    exceptions.NotFound: "not found",
    exceptions.PermissionDenied: "not allowed",
    exceptions.MethodNotAllowed: "method not allowed",
    exceptions.NotAcceptable: "not acceptable",
}


class ErrorSerializer(serializers.Serializer):
    error = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


# Every operation can answer these (any operation refuses an empty query value).
ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="An invalid or empty query parameter: `fields` names it and says why.",
    ),
    401: OpenApiResponse(ErrorSerializer, description="Missing, unknown or revoked token."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests; see Retry-After."),
}
# Operations anyone may call: the schema offers no token as an option (`{}` in `security`).
PUBLIC_ERRORS = {
    **ERRORS,
    401: OpenApiResponse(
        ErrorSerializer,
        description="An unknown or revoked token. Without an Authorization header the public "
        "answer is given.",
    ),
}
EMPTY_VALUE = "Empty value: give a value or leave the parameter out."
PADDED_VALUE = "Space around the value or a control character in it: send the value alone."
UNNAMED_PARAMETER = "A query parameter without a name: leave it out."
UNKNOWN_PARAMETER = "Not a parameter of this operation; it takes: %s."
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def query_value_problem(value: str) -> str | None:
    """What is wrong with a query value as sent, before any parser reads it (None: nothing)."""
    if not value.strip():
        return EMPTY_VALUE
    # Parsers forgive what the schema does not allow ("2026-01-01\n" is a date to Django, " 5"
    # an int): refuse it here rather than answer something else than was asked.
    if value != value.strip() or CONTROL.search(value):
        return PADDED_VALUE
    return None


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django's 500 handling (and logging) applies
    # An error is JSON whatever the view renders its answers as (the schema's YAML, the docs'
    # HTML) and whatever format was asked for: an unknown one is the error here.
    request = context["request"]
    request.accepted_renderer, request.accepted_media_type = JSONRenderer(), "application/json"
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"error": "invalid filter", "fields": fields}
        return response
    message = next((m for kind, m in MESSAGES.items() if isinstance(exc, kind)), None)
    if isinstance(exc, exceptions.NotFound) and str(exc.detail) != str(exc.default_detail):
        message = str(exc.detail)  # a view's own explanation of what is missing
    response.data = {"error": message or str(exc.detail)}
    return response


API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


@csrf_exempt  # any method: a POST to an unknown path is a 404, not a CSRF page
def not_found(request, *args, **kwargs):
    """Any other path under /api/: the same JSON error, not the site's HTML page."""
    return JsonResponse({"error": "not found"}, status=404)


def bad_request(request, exception):
    if is_api(request):
        return JsonResponse({"error": "bad request"}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return JsonResponse({"error": "not allowed"}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    """Also a path ``not_found``'s pattern cannot see (one the NUL check refuses)."""
    if is_api(request):
        return not_found(request)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return JsonResponse({"error": "server error"}, status=500)
    return defaults.server_error(request)
