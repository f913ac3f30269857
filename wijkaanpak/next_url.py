"""Where a form sends the user back to (``next``): a page of this site, or the default.

A path only: ``/buurten/``, never ``//elders.nl`` or ``https://elders.nl``. A bare word such as
``abc`` passes Django's host check, but ``redirect("abc")`` reads it as a URL name and fails
with NoReverseMatch after the form's action was done; so the answer is always a URL for
``HttpResponseRedirect``, never a name.
"""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def local_next(request, default: str) -> str:
    """The ``next`` of the POST when it is a path on this site, else ``default`` (a URL)."""
    target = request.POST.get("next", "")
    local = target.startswith("/") and not target.startswith(("//", "/\\"))
    if local and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def back(request, default: str) -> HttpResponseRedirect:
    """A redirect to ``local_next``."""
    return HttpResponseRedirect(local_next(request, default))
