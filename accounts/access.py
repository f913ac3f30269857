"""Who is who, and which parts of the site each may reach: the one place that decides.

*Roles* are ``User.role``; an *administrator* is a ``beheerder`` or a superuser. An *area* is
a named part of the site (``AREAS``): whose area it is (their menu and start page offer it),
who else may open it, and whether a refusal is a 403 or the 404 of a page that does not exist.
Views ask :func:`area_required`, templates ask ``access`` (:func:`context_processor`), the
session and MFA rules ask :func:`works_with_personal_data`. Which rows a user sees inside an
area is scope, decided by each app's selectors (``buurten.selectors.buurten_in_area``).
"""

from dataclasses import dataclass
from functools import wraps
from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import PROFESSIONAL_ROLES, Role

# --- Roles ---------------------------------------------------------------------------------------


def is_administrator(user) -> bool:
    """Administrators run the platform: they may open every area (to help) and see all data."""
    return user.is_authenticated and (user.is_superuser or user.role == Role.BEHEERDER)


def is_professional(user) -> bool:
    """Coordinators, police and enforcement work with residents' data in their team's area."""
    return user.is_authenticated and user.role in PROFESSIONAL_ROLES


def is_coordinator(user) -> bool:
    return user.is_authenticated and user.role == Role.COORDINATOR


def is_resident(user) -> bool:
    return user.is_authenticated and user.role == Role.BEWONER


def works_with_personal_data(user) -> bool:
    """Who can see who reported: professionals and administrators. They sign in with MFA and
    their sessions are short (``accounts.middleware``)."""
    return is_professional(user) or is_administrator(user)


def _roles(user) -> set[str]:
    """The user's role, and ``beheerder`` for every administrator (a superuser of another role
    keeps the areas of that role as well)."""
    if not user.is_authenticated:
        return set()
    return {user.role, Role.BEHEERDER} if is_administrator(user) else {user.role}


# --- Areas ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    name: str
    roles: frozenset[str]  # whose area it is: their menu and start page offer it
    also: frozenset[str] = frozenset()  # other roles that may open it, without it being offered
    administrators: bool = True  # administrators may open it too, to help (not offered to them)
    hidden: bool = False  # a refusal is a 404: the pages do not admit they exist
    label: str | Promise = ""  # the menu entry, if the area has one
    url_name: str = ""  # its page, for the menu and for checking that the menu and views agree


RESIDENTS = frozenset({Role.BEWONER})
COORDINATORS = frozenset({Role.COORDINATOR})
ADMINISTRATORS = frozenset({Role.BEHEERDER})

# In menu order. An area without a label has no menu entry; one without a url_name only has
# actions (forms posted from other pages).
AREAS: dict[str, Area] = {
    area.name: area
    for area in (
        Area(
            "melden",
            RESIDENTS,
            label=_("Melding doen"),
            url_name="meldingen:nieuw",
        ),
        Area(
            "mijn_meldingen",
            RESIDENTS,
            # The list holds only one's own meldingen, so anyone signed in may open it.
            also=frozenset(Role.values),
            label=_("Mijn meldingen"),
            url_name="meldingen:mijn",
        ),
        Area(
            "mijn_verzoeken",
            RESIDENTS,
            # Coordinators and administrators open the requests they decide on here too.
            also=COORDINATORS,
            hidden=True,
            label=_("Mijn verzoeken"),
            url_name="activiteiten:verzoeken",
        ),
        Area(
            "onze_buurt",
            RESIDENTS,
            label=_("Onze buurt"),
            url_name="indicatoren:mijn-buurt",
        ),
        Area("verzoek_doen", RESIDENTS, administrators=False, hidden=True),
        Area("peiling", RESIDENTS, url_name="indicatoren:enquete"),
        Area("lid_worden", RESIDENTS),
        Area("organiseren", RESIDENTS, url_name="activiteiten:nieuw"),
        Area(
            "feed",
            PROFESSIONAL_ROLES,
            label=_("Meldingen"),
            url_name="meldingen:feed",
        ),
        Area(
            "nieuwe_leden",
            COORDINATORS,
            label=_("Nieuwe leden"),
            url_name="buurten:aanvragen",
        ),
        Area(
            "verzoeken_beslissen",
            COORDINATORS,
            hidden=True,
            label=_("Verzoeken"),
            url_name="activiteiten:wachtrij",
        ),
        Area(
            "indicatoren",
            COORDINATORS,
            label=_("Indicatoren"),
            url_name="indicatoren:dashboard",
        ),
        Area("peilingen", COORDINATORS, url_name="indicatoren:peilingen"),
        Area("beheer", ADMINISTRATORS, label=_("Beheer"), url_name="admin:index"),
    )
}


def offers(user, area: str) -> bool:
    """Whether the area is the user's own: their menu and start page show it."""
    return bool(_roles(user) & AREAS[area].roles)


def may_reach(user, area: str) -> bool:
    """Whether the user may open the area's pages at all."""
    spec = AREAS[area]
    return (
        offers(user, area)
        or (user.is_authenticated and user.role in spec.also)
        or (spec.administrators and is_administrator(user))
    )


def area_required(area: str):
    """Sign in, then open the view only to those who may reach ``area``; anyone else gets 403,
    or 404 for a hidden area."""
    spec = AREAS[area]  # an unknown name fails when the view is defined, not when it is asked

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not may_reach(request.user, area):
                raise Http404 if spec.hidden else PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.area = area  # read by the test that the menu and the views agree
        return login_required(wrapper)

    return decorator


def context_processor(request) -> dict:
    """``access.<area>`` is true for the user's own areas; ``access.menu`` lists their entries."""
    user = getattr(request, "user", None)
    own = {name: user is not None and offers(user, name) for name in AREAS}
    menu = [AREAS[name] for name, is_own in own.items() if is_own and AREAS[name].label]
    return {"access": SimpleNamespace(**own, menu=menu)}
