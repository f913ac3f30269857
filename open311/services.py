"""Writes for Open311: issuing a client's key, and filing a melding from an outside app through
the same intake as the browser (``melding_create_extern``)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts import apikeys
from meldingen.models import Categorie
from meldingen.services import melding_create_extern

from . import params
from .locatie import Plaats
from .models import Client, Herkomst

KIND = "o311"


@transaction.atomic
def client_issue(*, naam: str, gemeente, contact: str = "", by) -> tuple[Client, str]:
    """Make a client; the returned key is shown once and never stored."""
    made = apikeys.new_key(KIND)
    client = Client.objects.create(
        naam=naam,
        gemeente=gemeente,
        contact=contact,
        prefix=made.prefix,
        key_hash=made.key_hash,
        created_by=by,
    )
    return client, made.key


def client_revoke(*, client: Client) -> None:
    Client.objects.filter(pk=client.pk, revoked_at=None).update(revoked_at=timezone.now())


@transaction.atomic
def melding_create_open311(
    *, client: Client, categorie: Categorie, plaats: Plaats, gegevens: params.ServiceRequest
) -> Herkomst:
    """Save the melding (validation, outbox, triage and protection as from the browser) and
    its herkomst, the record of which client filed it. Raises ValidationError or
    PermissionDenied."""
    if plaats.buurt.wijk.gemeente_id != client.gemeente_id:
        raise PermissionDenied
    melding = melding_create_extern(
        buurt=plaats.buurt,
        categorie=categorie,
        wat=gegevens.description,
        waar=gegevens.address_string or plaats.buurt.naam,
        wanneer=gegevens.wanneer or timezone.now(),
        al_112_gebeld=gegevens.al_112_gebeld,
        beschrijving=gegevens.beschrijving,
        bescherming=gegevens.bescherming,
        contact=gegevens.contact,
        latitude=gegevens.lat if gegevens.lat is not None else plaats.lat,
        longitude=gegevens.long if gegevens.long is not None else plaats.lon,
    )
    return Herkomst.objects.create(melding=melding, client=client, media_url=gegevens.media_url)
