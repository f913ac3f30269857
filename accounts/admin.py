from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from notificaties.models import Notificatie

from .models import Team, User

# allauth's own admin shows and edits an authenticator's data: the TOTP secret and the
# recovery codes. Administrators only need to see that one exists and to remove it (a lost
# phone: the user then sets up a new one at the next sign-in).
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    # allauth's model has no verbose names: these columns give its fields Dutch labels.
    list_display = ["gebruiker", "user_email", "soort", "aangemaakt_op", "laatst_gebruikt"]
    list_filter = ["type"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    fields = ["gebruiker", "soort", "aangemaakt_op", "laatst_gebruikt"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("gebruiker"), ordering="user__email")
    def gebruiker(self, authenticator):
        return authenticator.user

    @admin.display(description=_("e-mailadres"), ordering="user__email")
    def user_email(self, authenticator):
        return authenticator.user.email

    @admin.display(description=_("soort"), ordering="type")
    def soort(self, authenticator):
        return authenticator.get_type_display()

    @admin.display(description=_("aangemaakt op"), ordering="created_at")
    def aangemaakt_op(self, authenticator):
        return _moment(authenticator.created_at)

    @admin.display(description=_("laatst gebruikt"), ordering="last_used_at")
    def laatst_gebruikt(self, authenticator):
        return _moment(authenticator.last_used_at)


def _moment(value) -> str:
    """Local time, as the rest of the admin shows it (allauth stores a raw UTC value here)."""
    return date_format(timezone.localtime(value), "j F Y H:i") if value else "—"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "weergavenaam", "role", "team", "is_active", "last_login"]
    list_filter = ["role", "team", "is_active", "is_staff"]
    search_fields = ["email", "weergavenaam"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profiel"), {"fields": ["weergavenaam", "taal"]}),
        (_("Rol en gebied"), {"fields": ["role", "team"]}),
        (_("Rechten"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Data"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "password1", "password2", "role", "team"]},
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def get_deleted_objects(self, objs, request):
        """The confirmation page counts an account's notifications but does not list them: a
        feedback notice names the status change of a melding the account reported."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        hidden = f"{capfirst(Notificatie._meta.verbose_name)}: "
        return _without(to_delete, hidden), model_count, perms_needed, protected

    def lookup_allowed(self, lookup, value, request=None):
        """Only the user's own fields and the filters above narrow the list. Through a relation
        the list became an index of who did what: ``?meldingen_gemeld=<melder>`` showed the
        account behind a reporter, outside the audited reveal."""
        first = lookup.split(LOOKUP_SEP, 1)[0]
        related = {f.name for f in User._meta.get_fields() if f.is_relation}
        if first in related and first not in self.list_filter:
            return False
        return super().lookup_allowed(lookup, value, request)


def _without(nested: list, prefix: str) -> list:
    """``nested`` (the admin's list of what a delete takes along) without entries of one model."""
    kept = []
    for item in nested:
        if isinstance(item, list):
            kept.append(_without(item, prefix))
        elif not str(item).startswith(prefix):
            kept.append(item)
    return kept


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["naam", "organisatie", "gemeente"]
    list_filter = ["organisatie", "gemeente"]
    search_fields = ["naam"]
    filter_horizontal = ["wijken", "buurten"]
