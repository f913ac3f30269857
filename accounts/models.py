"""Users, their role and the team whose area scopes what they see.

Who counts as an administrator or a professional, and which sections of the site each role
reaches, is decided in ``accounts.access``; scope rules (which rows) in ``buurten.selectors``.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkaanpak.singleline import SingleLineCharField


class Role(models.TextChoices):
    BEWONER = "bewoner", _("Bewoner")
    COORDINATOR = "coordinator", _("Wijkcoördinator")
    POLITIE = "politie", _("Politie")
    HANDHAVING = "handhaving", _("Handhaving")
    BEHEERDER = "beheerder", _("Beheerder")


class Team(models.Model):
    """A municipal, police or enforcement team and the area it works in."""

    class Organisatie(models.TextChoices):
        GEMEENTE = "gemeente", _("Gemeente")
        POLITIE = "politie", _("Politie")
        HANDHAVING = "handhaving", _("Handhaving")

    naam = SingleLineCharField(_("naam"), max_length=120)
    organisatie = models.CharField(_("organisatie"), max_length=20, choices=Organisatie.choices)
    gemeente = models.ForeignKey(
        "buurten.Gemeente",
        on_delete=models.PROTECT,
        related_name="teams",
        verbose_name=_("gemeente"),
    )
    wijken = models.ManyToManyField(
        "buurten.Wijk", blank=True, related_name="teams", verbose_name=_("wijken")
    )
    buurten = models.ManyToManyField(
        "buurten.Buurt",
        blank=True,
        related_name="teams",
        verbose_name=_("losse buurten"),
        help_text=_("Buurten buiten de gekozen wijken die ook tot het gebied van dit team horen."),
    )
    email = models.EmailField(
        _("teamadres"), blank=True, help_text=_("Voor escalaties en meldingen aan het team.")
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["gemeente", "organisatie", "naam"]
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "organisatie", "naam"], name="team_unique_naam"
            )
        ]

    def __str__(self):
        return f"{self.naam} ({self.get_organisatie_display()})"


ROLE_ORGANISATIE = {
    Role.COORDINATOR: Team.Organisatie.GEMEENTE,
    Role.POLITIE: Team.Organisatie.POLITIE,
    Role.HANDHAVING: Team.Organisatie.HANDHAVING,
}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True, role=Role.BEHEERDER)
        return self._create_user(email, password, **extra_fields)


class Leeftijdsgroep(models.TextChoices):
    """The CBS age bands (15+) used for representativiteit; only the band, never a birth date."""

    L15_25 = "15_25", _("15 tot 25 jaar")
    L25_45 = "25_45", _("25 tot 45 jaar")
    L45_65 = "45_65", _("45 tot 65 jaar")
    L65_PLUS = "65_plus", _("65 jaar of ouder")


class User(AbstractUser):
    """A person who signs in with an e-mail address.

    Neighbours only ever see ``weergavenaam``; e-mail addresses stay with the platform.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mailadres"), unique=True)
    weergavenaam = SingleLineCharField(
        _("weergavenaam"),
        max_length=60,
        blank=True,
        validators=[
            RegexValidator(
                r"@", inverse_match=True, message=_("Gebruik je naam, geen e-mailadres.")
            )
        ],
        help_text=_("Hoe buren je zien, bijvoorbeeld je voornaam. Nooit je e-mailadres."),
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.BEWONER)
    leeftijdsgroep = models.CharField(
        _("leeftijdsgroep"),
        max_length=8,
        choices=Leeftijdsgroep.choices,
        blank=True,
        help_text=_(
            "Niet verplicht. Alleen geteld, nooit getoond: zo zien we of activiteiten jong en oud "
            "bereiken."
        ),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="leden",
        verbose_name=_("team"),
    )
    # The language the person uses the site in: their e-mails are written in it
    # (``notificaties.services``). Kept by the language switch and set at sign-up
    # (``accounts.services.user_set_taal``).
    taal = models.CharField(
        _("taal"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("De taal van de e-mails die je krijgt: die waarin je de site gebruikt."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.weergavenaam or _("Buur #%(id)s") % {"id": self.pk}

    def clean(self):
        super().clean()
        expected = ROLE_ORGANISATIE.get(self.role)
        if expected and (self.team is None or self.team.organisatie != expected):
            raise ValidationError(
                {
                    "team": _("Deze rol hoort bij een team van de organisatie '%(org)s'.")
                    % {"org": Team.Organisatie(expected).label}
                }
            )
        if self.role == Role.BEWONER and self.team_id:
            raise ValidationError({"team": _("Bewoners horen niet bij een team.")})


class ApiKey(models.Model):
    """What every key for an outside system keeps (``accounts.apikeys``): the prefix that finds
    it, a hash of the whole key (the key itself is shown once and never stored), who made it,
    when it was last used and when it was revoked."""

    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(_("hash van de sleutel"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("gemaakt door"),
    )
    created_at = models.DateTimeField(_("gemaakt"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("ingetrokken"), null=True, blank=True)

    class Meta:
        abstract = True


class SecurityCacheEntry(models.Model):
    """A row of the database cache that keeps the security counters (sign-in and other rate
    limits, used TOTP codes) while Redis is unreachable, so that they do not switch off
    (``wijkaanpak.redis_cache``). The layout is Django's ``DatabaseCache`` table."""

    cache_key = models.CharField(_("sleutel"), max_length=255, primary_key=True)
    value = models.TextField(_("waarde"))
    expires = models.DateTimeField(_("verloopt op"), db_index=True)

    class Meta:
        db_table = "wijkaanpak_security_cache"
        default_permissions = ()
        verbose_name = _("beveiligingsteller")
        verbose_name_plural = _("beveiligingstellers")

    def __str__(self):
        return self.cache_key


class Inzending(models.Model):
    """A form that made something, sent once (``accounts.inzendingen``): a keyed hash of the
    person and the form's one-time token, kept a day. The same form sent again (a double click,
    a phone resending on a weak network) finds it taken. It names nothing the form made, so an
    anonymous melding stays unlinked."""

    sleutel = SingleLineCharField(_("sleutel"), max_length=64, primary_key=True)
    created_at = models.DateTimeField(_("verstuurd"), db_index=True)

    class Meta:
        default_permissions = ()
        verbose_name = _("verstuurd formulier")
        verbose_name_plural = _("verstuurde formulieren")

    def __str__(self):
        return self.sleutel
