"""One error body for every /api/v1/ answer: ``{"error": "...", "fields": {...}}``."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions
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


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django's 500 handling (and logging) applies
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"error": "invalid filter", "fields": fields}
        return response
    message = next((m for kind, m in MESSAGES.items() if isinstance(exc, kind)), None)
    if isinstance(exc, exceptions.NotFound) and str(exc.detail) != str(exc.default_detail):
        message = str(exc.detail)  # a view's own explanation of what is missing
    response.data = {"error": message or str(exc.detail)}
    return response


def not_found(request, *args, **kwargs):
    """Any other path under /api/: the same JSON error, not the site's HTML page."""
    return JsonResponse({"error": "not found"}, status=404)
