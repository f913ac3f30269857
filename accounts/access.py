"""Who is who, and which sections of the site each may reach: the one place that decides.

*Roles* are ``User.role``; an *administrator* is a ``beheerder`` or a superuser. A *section* is
a named part of the site (``SECTIONS``): whose section it is (their menu and start page offer
it), who else may open it, and whether a refusal is a 403 or the 404 of a page that does not
exist. Views ask :func:`section_required`, templates ask ``access`` (:func:`context_processor`),
the session and MFA rules ask :func:`works_with_personal_data`. Which rows a user sees inside a
section is scope, decided by each app's selectors (``buurten.selectors.buurten_in_area``: a
team's *area*, a word kept for that).
"""

from dataclasses import dataclass
from functools import wraps
from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Role

# --- Roles ---------------------------------------------------------------------------------------

# Roles that work on other people's data: they need a team (their area) and MFA.
PROFESSIONAL_ROLES = frozenset({Role.COORDINATOR, Role.POLITIE, Role.HANDHAVING})


def is_administrator(user) -> bool:
    """Administrators run the platform: they may open every section (to help) and see all data."""
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
    keeps the sections of that role as well)."""
    if not user.is_authenticated:
        return set()
    return {user.role, Role.BEHEERDER} if is_administrator(user) else {user.role}


# --- Sections ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    name: str
    roles: frozenset[str]  # whose section it is: their menu and start page offer it
    also: frozenset[str] = frozenset()  # other roles that may open it, without it being offered
    administrators: bool = True  # administrators may open it too, to help (not offered to them)
    hidden: bool = False  # a refusal is a 404: the pages do not admit they exist
    label: str | Promise = ""  # the menu entry, if the section has one
    url_name: str = ""  # its page, for the menu and for checking that the menu and views agree


RESIDENTS = frozenset({Role.BEWONER})
COORDINATORS = frozenset({Role.COORDINATOR})
ADMINISTRATORS = frozenset({Role.BEHEERDER})

# In menu order. A section without a label has no menu entry; one without a url_name only has
# actions (forms posted from other pages).
SECTIONS: dict[str, Section] = {
    section.name: section
    for section in (
        Section(
            "melden",
            RESIDENTS,
            label=_("Melding doen"),
            url_name="meldingen:nieuw",
        ),
        Section(
            "mijn_meldingen",
            RESIDENTS,
            # The list holds only one's own meldingen, so anyone signed in may open it.
            also=frozenset(Role.values),
            label=_("Mijn meldingen"),
            url_name="meldingen:mijn",
        ),
        Section(
            "mijn_verzoeken",
            RESIDENTS,
            # Coordinators and administrators open the requests they decide on here too.
            also=COORDINATORS,
            hidden=True,
            label=_("Mijn verzoeken"),
            url_name="verzoeken:lijst",
        ),
        Section(
            "onze_buurt",
            RESIDENTS,
            label=_("Onze buurt"),
            url_name="indicatoren:mijn-buurt",
        ),
        Section("verzoek_doen", RESIDENTS, administrators=False, hidden=True),
        Section("peiling", RESIDENTS, url_name="indicatoren:enquete"),
        Section("lid_worden", RESIDENTS),
        Section("organiseren", RESIDENTS, url_name="activiteiten:nieuw"),
        Section(
            "feed",
            PROFESSIONAL_ROLES,
            label=_("Meldingen"),
            url_name="meldingen:feed",
        ),
        Section(
            "nieuwe_leden",
            COORDINATORS,
            label=_("Nieuwe leden"),
            url_name="buurten:aanvragen",
        ),
        Section(
            "verzoeken_beslissen",
            COORDINATORS,
            hidden=True,
            label=_("Verzoeken"),
            url_name="verzoeken:wachtrij",
        ),
        Section(
            "indicatoren",
            COORDINATORS,
            label=_("Indicatoren"),
            url_name="indicatoren:dashboard",
        ),
        Section("peilingen", COORDINATORS, url_name="indicatoren:peilingen"),
        Section("beheer", ADMINISTRATORS, label=_("Beheer"), url_name="admin:index"),
        # Everyone's own notices (``notificaties.selectors.berichten``). No entry among the
        # sections: the menu shows it beside the account, an envelope with the unread count.
        Section("berichten", frozenset(Role.values), url_name="berichten"),
    )
}


def offers(user, section: str) -> bool:
    """Whether the section is the user's own: their menu and start page show it."""
    return bool(_roles(user) & SECTIONS[section].roles)


def may_reach(user, section: str) -> bool:
    """Whether the user may open the section's pages at all."""
    spec = SECTIONS[section]
    return (
        offers(user, section)
        or (user.is_authenticated and user.role in spec.also)
        or (spec.administrators and is_administrator(user))
    )


def section_required(section: str):
    """Sign in, then open the view only to those who may reach ``section``; anyone else gets 403,
    or 404 for a hidden section."""
    spec = SECTIONS[section]  # an unknown name fails when the view is defined, not when asked

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not may_reach(request.user, section):
                raise Http404 if spec.hidden else PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.section = section  # read by the test that the menu and the views agree
        return login_required(wrapper)

    return decorator


def context_processor(request) -> dict:
    """``access.<section>`` is true for the user's own sections; ``access.menu`` lists their
    menu entries."""
    user = getattr(request, "user", None)
    own = {name: user is not None and offers(user, name) for name in SECTIONS}
    menu = [SECTIONS[name] for name, is_own in own.items() if is_own and SECTIONS[name].label]
    return {"access": SimpleNamespace(**own, menu=menu)}
