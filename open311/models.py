"""Outside apps and back offices that file and follow meldingen through Open311 GeoReport v2."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiKey
from wijkaanpak.singleline import SingleLineCharField


class Client(ApiKey):
    """An outside system with a key, bound to one gemeente: it files meldingen there and reads
    only that gemeente's requests. Only a hash of the key is stored; it is shown once."""

    naam = SingleLineCharField(_("naam"), max_length=80, help_text=_("Welke app of organisatie."))
    gemeente = models.ForeignKey(
        "buurten.Gemeente",
        on_delete=models.PROTECT,
        related_name="open311_clients",
        verbose_name=_("gemeente"),
    )
    contact = models.EmailField(
        _("contactadres beheerder"), blank=True, help_text=_("Wie we bellen als het misgaat.")
    )

    class Meta:
        verbose_name = _("Open311-client")
        verbose_name_plural = _("Open311-clients")
        ordering = ["naam"]

    def __str__(self):
        return f"{self.naam} ({self.gemeente}) o311_{self.prefix}_…"


class Herkomst(models.Model):
    """Where a melding filed through Open311 came from: which client filed it, its token, and the
    media link.

    The media link is kept as a link for the officer only; the platform never fetches it.
    """

    melding = models.OneToOneField(
        "meldingen.Melding",
        on_delete=models.CASCADE,
        related_name="open311",
        verbose_name=_("melding"),
    )
    client = models.ForeignKey(
        Client,
        on_delete=models.PROTECT,
        related_name="herkomsten",
        verbose_name=_("Open311-client"),
    )
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    media_url = models.URLField(_("link naar beeld (extern)"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("ontvangen op"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311-herkomst")
        verbose_name_plural = _("Open311-herkomsten")

    def __str__(self):
        return f"melding {self.melding_id} via {self.client_id}"
