"""Team tokens: a team's own systems read the JSON API (``/api/v1/``) with a key."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiKey
from wijkaanpak.singleline import SingleLineCharField


class FeedToken(ApiKey):
    """Access for a team's own systems to the JSON API, issued and revoked by administrators.

    Only a hash of the key is stored; the key is shown once, when the token is made.
    """

    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.CASCADE,
        related_name="feed_tokens",
        verbose_name=_("team"),
    )
    naam = SingleLineCharField(_("naam"), max_length=80, help_text=_("Welk systeem gebruikt hem."))

    class Meta:
        verbose_name = _("feed-token")
        verbose_name_plural = _("feed-tokens")

    def __str__(self):
        return f"{self.naam} ({self.team}) wka_{self.prefix}_…"
