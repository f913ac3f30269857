"""Retention: what of a long-closed melding is erased and what is kept, field by field.

The plan is data. Every model that holds something of a melding has one ``Plan``; each of its
fields is either erased (with the value it gets, optionally only in some rows) or kept (with
the reason). A new field is one line in ``erase`` or ``keep``; a field in neither fails
``tests/meldingen/test_retention.py``, and so does a new model that points at a melding. The
README's retention section lists the same decisions.

An app that builds on meldingen and keeps a melding's data in its own models hands its
plan to :func:`register` from its ``AppConfig.ready``: meldingen does not know the apps above
it, and the same job erases their data in the same transaction.
"""

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.apps import apps
from django.db.models import Exists, F, OuterRef, Q, TextField
from django.db.models.functions import Cast

from accounts.models import Role
from wijkaanpak.talen import BRONTAAL, VERTALINGEN, veldnaam

from . import triage

# Feedback texts are replaced, not emptied: "feedback was given" and when stay indicators
# (``indicatoren.compute.records`` counts history rows with a non-empty text).
ERASED_TEXT = "Tekst verwijderd na de bewaartermijn."


class Rebuild:
    """The field is computed again from what is kept (after the erasing updates)."""

    def __init__(self, compute):
        self.compute = compute


@dataclass(frozen=True)
class Plan:
    """What happens to each field of a model's rows of a melding. A generated field (the
    search column, ``Melding.zoektekst``) has no decision of its own: the database derives it
    from the fields decided here, so it follows them."""

    model: str  # "app_label.ModelName"
    via: str  # lookup from a row of this model to the melding's pk
    erase: dict[str, Any] = field(default_factory=dict)  # field → the value it gets
    keep: dict[str, str] = field(default_factory=dict)  # field → why it stays
    only: dict[str, Q] = field(default_factory=dict)  # field → erase it only in these rows
    delete: bool = False  # the rows go, with the files of their FileFields
    scope: Q = field(default_factory=Q)  # for a generic link: which rows are a melding's

    @property
    def model_class(self):
        return apps.get_model(self.model)


# A reporter (or any resident) acting in the history, e.g. answering "niet opgelost"; staff
# actors stay for accountability. This plan runs before the melders lose their account link.
REPORTER_OR_RESIDENT = Q(door__role=Role.BEWONER) | Q(door__meldingen_gemeld__melding=F("melding"))


CORE_PLANS: tuple[Plan, ...] = (
    Plan(
        "meldingen.StatusWijziging",
        via="melding",
        erase={"terugkoppeling": ERASED_TEXT, "bericht_eerste_melder": ERASED_TEXT, "door": None},
        only={
            "terugkoppeling": ~Q(terugkoppeling=""),
            "bericht_eerste_melder": ~Q(bericht_eerste_melder=""),
            "door": REPORTER_OR_RESIDENT,
        },
        keep={
            "id": "",
            "melding": "",
            "door_rol": "the role 'melder' only: names no one",
            "van": "the course of the case",
            "naar": "the course of the case",
            "created_at": "time to first feedback (indicator)",
            # "door" of staff stays: who acted is their accountability, not a reporter's.
        },
    ),
    Plan(
        "meldingen.Inzage",
        via="melder__melding",
        erase={"reden": ""},
        keep={
            "id": "",
            "melder": "the reporter row, itself erased",
            "door": "audit: which professional revealed a reporter",
            "grond": "audit: the ground chosen from a fixed list, no personal data",
            "created_at": "audit: when",
        },
    ),
    Plan(
        "meldingen.Melder",
        via="melding",
        erase={
            "user": None,
            "telefoon": "",
            "contact_naam": "",
            "contact_email": "",
            "marker": "",
            "reactie": "",
            "gelezen_at": None,
        },
        keep={
            "id": "",
            "melding": "",
            "bescherming": "how many reporters chose each tier",
            "is_eerste": "first reporter or 'ik ook'",
            "oordeel": "solved or not, in the reporter's view",
            "created_at": "when the voice was added",
        },
    ),
    Plan(
        "meldingen.Melding",
        via="pk",
        erase={
            "wat": "",
            "waar": "",
            "adres": "",
            "straat": "",
            "latitude": None,
            "longitude": None,
            "persoon_geslacht": "",
            "persoon_lengte": "",
            "persoon_kleding": "",
            "persoon_kenmerken": "",
            "voertuig_kleur": "",
            "voertuig_merk": "",
            "voertuig_type": "",
            "voertuig_kenteken": "",
            # Without the descriptions now, in every language.
            **{
                veldnaam("samenvatting", code): Rebuild(partial(triage.summary, language=code))
                for code in (BRONTAAL, *VERTALINGEN)
            },
        },
        keep={
            "id": "",
            "buurt": "indicators per buurt",
            "categorie": "indicators per category",
            "wanneer": "when it happened (day and hour)",
            "al_112_gebeld": "",
            "status": "",
            "doel": "meldingen per target (indicator)",
            "prioriteit": "",
            "gewicht": "number of reporters",
            "deadline_at": "",
            "referentie": "a random code that names no one; the reporter may still quote it",
            "overdue_alerted_at": "",
            "created_at": "indicator periods",
            "routed_at": "",
            "closed_at": "the retention term",
            "anonymised_at": "set to the moment of erasure",
        },
    ),
    Plan(
        "meldingen.Nazorg",
        via="melding",
        erase={"notitie": ""},
        keep={
            "id": "",
            "melding": "",
            "door": "the coordinator who gave support",
            "volgende_contact": "a date: when the next contact was planned",
            "afgerond": "that the nazorg was closed (its closing note is the erased text)",
            "herinnerd_at": "when the coordinators were reminded",
            "created_at": "that and when support was given",
        },
    ),
    Plan(
        "meldingen.Outbox",
        via="melding",
        erase={"last_error": ""},
        keep={
            "id": "",
            "melding": "",
            "soort": "",
            "created_at": "",
            "attempts": "",
            "enqueued_at": "",
            "done_at": "",
            "failed_at": "",
        },
    ),
    Plan(
        "meldingen.Doorzetting",
        via="melding",
        keep={
            "id": "",
            "melding": "",
            "doel": "",
            "regel": "",
            "created_at": "",
            "notified_at": "",
        },
    ),
    Plan("meldingen.Foto", via="melding", delete=True),
    # The admin's log names an object by its text at the time: a melding's is its summary, with
    # the person description. (Other models of meldingen have neutral texts: "melder 12 (…)".)
    Plan(
        "admin.LogEntry",
        via="object_id",
        scope=Q(content_type__app_label="meldingen", content_type__model="melding"),
        erase={"object_repr": ""},
        keep={
            "id": "",
            "action_time": "",
            "user": "the administrator who acted",
            "content_type": "",
            "object_id": "",
            "action_flag": "",
            "change_message": "names of changed fields, never their values",
        },
    ),
)

# Models of meldingen that hold no data of a particular melding (configuration).
NOT_MELDING_DATA = {
    "meldingen.Categorie": "configuration",
    "meldingen.RoutingRegel": "configuration",
}

# Filled by the apps' ready(): model label → plan, and model label → why it holds no melding data.
_registered: dict[str, Plan] = {}
_registered_other: dict[str, str] = {}


def register(plan: Plan, *, not_melding_data: dict[str, str] | None = None) -> None:
    """Add another app's plan (and its models that hold no data of a melding) to the retention
    job. Registering the same model again replaces its plan, so a repeated ready() is harmless."""
    _registered[plan.model] = plan
    _registered_other.update(not_melding_data or {})


def plans() -> tuple[Plan, ...]:
    """Every plan, in the order they run: meldingen's own, then the registered ones."""
    return CORE_PLANS + tuple(_registered.values())


def not_melding_data() -> dict[str, str]:
    return {**NOT_MELDING_DATA, **_registered_other}


def _rows(plan: Plan, melding_ids):
    return plan.model_class.objects.filter(plan.scope, **{f"{plan.via}__in": melding_ids})


def _melding_ref(plan: Plan):
    """The melding's pk as the via field holds it (a generic link keeps ids as text)."""
    if "__" in plan.via or plan.via == "pk":
        return OuterRef("pk")
    via = plan.model_class._meta.get_field(plan.via)
    if via.is_relation or via.get_internal_type() not in ("CharField", "TextField"):
        return OuterRef("pk")
    return Cast(OuterRef("pk"), output_field=TextField())


def _leftover(plan: Plan) -> Q | None:
    """Rows of this model that still hold something the plan erases."""
    if plan.delete:
        return Q()
    found = Q()
    for name, value in plan.erase.items():
        if isinstance(value, Rebuild):
            continue
        differs = Q(**{f"{name}__isnull": False}) if value is None else ~Q(**{name: value})
        found |= differs & plan.only.get(name, Q())
    return found or None


def leftovers() -> Q:
    """Meldingen with something left to erase: what an older plan did not cover, so that
    widening the plan erases it from meldingen anonymised before."""
    found = Q()
    for plan in plans():
        condition = _leftover(plan)
        if condition is None:
            continue
        rows = plan.model_class.objects.filter(plan.scope, **{plan.via: _melding_ref(plan)})
        rows = rows.filter(condition)
        found |= Exists(rows)
    return found


def erase(melding_ids: list[int]) -> None:
    """Apply every plan to these meldingen; the caller holds the transaction and the locks."""
    for plan in plans():
        rows = _rows(plan, melding_ids)
        if plan.delete:
            _delete_with_files(rows)
            continue
        plain = {
            name: value
            for name, value in plan.erase.items()
            if name not in plan.only and not isinstance(value, Rebuild)
        }
        if plain:
            rows.update(**plain)
        for name, condition in plan.only.items():
            rows.filter(condition).update(**{name: plan.erase[name]})
        rebuilt = {n: v for n, v in plan.erase.items() if isinstance(v, Rebuild)}
        if rebuilt:
            _rebuild(rows, rebuilt)


def _rebuild(rows, rebuilt: dict[str, Rebuild]) -> None:
    model = rows.model
    related = [f.name for f in model._meta.concrete_fields if f.is_relation]
    objs = list(rows.select_related(*related))
    for obj in objs:
        for name, how in rebuilt.items():
            setattr(obj, name, how.compute(obj))
    model.objects.bulk_update(objs, list(rebuilt))


def _delete_with_files(rows) -> None:
    """The files go before the rows, inside the transaction: a crash after the commit must not
    leave a file that no row points to any more (nothing would ever erase it). A file whose row
    survives a rollback is erased again on the next run (deleting a missing file is no error)."""
    file_fields = [f.name for f in rows.model._meta.concrete_fields if hasattr(f, "storage")]
    for obj in rows:
        for name in file_fields:
            stored = getattr(obj, name)
            if stored.name:
                stored.storage.delete(stored.name)
    rows.delete()
