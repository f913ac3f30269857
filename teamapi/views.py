"""The base of every ``/api/v1/`` view."""

from rest_framework import exceptions
from rest_framework.views import APIView

from .authentication import TeamTokenAuthentication
from .errors import UNKNOWN_PARAMETER, UNNAMED_PARAMETER, query_value_problem
from .permissions import HasTeamToken
from .throttling import PerTokenThrottle


class TeamAPIView(APIView):
    """A read-only view for team systems: token, limiter, never cached. Subclasses that anyone
    may call set ``permission_classes = PUBLIC`` (the schema then offers "no token")."""

    authentication_classes = [TeamTokenAuthentication]
    permission_classes = [HasTeamToken]
    throttle_classes = [PerTokenThrottle]

    # The query parameters the view documents: any other name is a 400 rather than silently
    # ignored (a misspelt filter would otherwise answer the unfiltered feed). None: not checked.
    query_parameters: tuple[str, ...] | None = None

    def cache_keys(self, request, key_hash: str) -> list[str]:
        """Shared-cache keys to fetch with the token, in its round trip (``request.cached``
        then holds what was found): a view whose answer is cached names it here."""
        return []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # `?vanaf=` is not "no filter": a client that sends it meant something. OpenAPI's
        # default (allowEmptyValue false) says so; answer it rather than ignore it.
        problems = {}
        for name, values in request.query_params.lists():
            if not name.strip():  # "?=x" or "?&=": no parameter anyone documented
                problems["(no name)"] = [UNNAMED_PARAMETER]
                continue
            if self.query_parameters is not None and name not in self.query_parameters:
                problems[name] = [UNKNOWN_PARAMETER % ", ".join(self.query_parameters)]
                continue
            found = next(filter(None, map(query_value_problem, values)), None)
            if found:
                problems[name] = [found]
        if problems:
            raise exceptions.ValidationError(problems)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"  # per caller; never kept by a proxy
        return response
