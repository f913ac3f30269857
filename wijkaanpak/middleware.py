"""No NUL character reaches the database.

Postgres refuses NUL in text, so psycopg raises before the query is sent and the page answers
500. Forms reject NUL already (Django's ProhibitNullCharactersValidator); addresses and query
strings are checked here: a NUL in the path is no page (404), in the query string a bad request
(400). Anything else that still carries one to the database (posted text a view reads without a
form) ends as a 400, not a 500. Open311 answers its own, standard error bodies for NUL.
"""

from urllib.parse import unquote

from django.db import DataError
from django.http import Http404, JsonResponse
from django.views.defaults import bad_request

NUL = "\x00"
MESSAGE = "the request contains a NUL character"


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _open311(request):  # its views answer with the standard's error bodies
            return self.get_response(request)
        if NUL in request.path:
            if _api(request):  # the API's JSON 404, with DEBUG on too (no technical 404 page)
                return JsonResponse({"error": "not found"}, status=404)
            raise Http404(MESSAGE)
        if NUL in unquote(request.META.get("QUERY_STRING", "")):
            return _bad_request(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DataError) and "NUL" in str(exception):
            return _bad_request(request)
        return None


def _open311(request) -> bool:
    return request.path.startswith("/open311/")


def _api(request) -> bool:
    return request.path.startswith("/api/")


def _bad_request(request):
    if _api(request):
        return JsonResponse({"error": MESSAGE}, status=400)
    return bad_request(request, exception=None)
