"""Messages that could not be delivered show here (filter status "Mislukt") with the kind of
error; "Nu opnieuw proberen" sends them again. No message text is shown: only account mail holds
its text (and address) until it is handled, and neither appears here."""

from django.contrib import admin, messages
from django.db.models.constants import LOOKUP_SEP
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Notificatie, PushBericht
from .push import push_retry
from .services import notificaties_retry


@admin.register(Notificatie)
class NotificatieAdmin(admin.ModelAdmin):
    list_display = [
        "soort",
        "object_id",
        "ontvanger_label",
        "status",
        "attempts",
        "next_attempt_at",
        "finished_at",
        "last_error",
    ]
    list_filter = ["status", "soort"]
    list_select_related = ["ontvanger", "team"]
    # The recipient by account number or team, not by address: enough to find them.
    fields = [
        "soort",
        "object_id",
        "ontvanger_label",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "claimed_until",
        "finished_at",
        "last_error",
    ]
    readonly_fields = fields
    actions = ["retry_now"]

    @admin.display(description=_("ontvanger"))
    def ontvanger_label(self, obj: Notificatie) -> str:
        if obj.soort in Notificatie.NAMES_A_REPORTER:
            # Feedback goes to those who reported: with its recipient, a row would tell who
            # reported which melding, outside the audited reveal.
            return _("een melder (niet getoond)")
        if obj.soort == Notificatie.Soort.ACCOUNT:
            # Its address may belong to no account, and its text holds a one-time link.
            return _("een e-mailadres (niet getoond)")
        if obj.ontvanger_id:
            return _("Gebruiker #%(id)s") % {"id": obj.ontvanger_id}
        return str(obj.team)

    def lookup_allowed(self, lookup, value, request=None):
        """Only the filters above narrow the list: ``?ontvanger=<id>`` would list the feedback
        an account received, that is, what it reported."""
        return lookup.split(LOOKUP_SEP, 1)[0] in self.list_filter

    @admin.action(description=_("Nu opnieuw proberen"), permissions=["change"])
    def retry_now(self, request, queryset):
        count = notificaties_retry(ids=list(queryset.values_list("pk", flat=True)))
        messages.info(
            request,
            ngettext(
                "%(n)s bericht opnieuw aangeboden.", "%(n)s berichten opnieuw aangeboden.", count
            )
            % {"n": count},
        )

    def has_add_permission(self, request):
        return False


@admin.register(PushBericht)
class PushBerichtAdmin(admin.ModelAdmin):
    """Pushes that could not be delivered, like the e-mails above: the kind of notification,
    status, attempts and the push service's answer. Never the device's endpoint or keys (an
    endpoint identifies a device), nor the person beyond the account number."""

    list_display = [
        "soort",
        "ontvanger_label",
        "status",
        "attempts",
        "next_attempt_at",
        "finished_at",
        "last_error",
    ]
    list_filter = ["status"]
    list_select_related = ["notificatie"]
    fields = list_display
    readonly_fields = fields
    actions = ["retry_now"]

    @admin.display(description=_("soort"))
    def soort(self, obj: PushBericht) -> str:
        return obj.notificatie.get_soort_display()

    @admin.display(description=_("ontvanger"))
    def ontvanger_label(self, obj: PushBericht) -> str:
        if obj.notificatie.soort in Notificatie.NAMES_A_REPORTER:
            return _("een melder (niet getoond)")
        return _("Gebruiker #%(id)s") % {"id": obj.notificatie.ontvanger_id}

    def lookup_allowed(self, lookup, value, request=None):
        return lookup.split(LOOKUP_SEP, 1)[0] in self.list_filter

    @admin.action(description=_("Nu opnieuw proberen"), permissions=["change"])
    def retry_now(self, request, queryset):
        count = push_retry(ids=list(queryset.values_list("pk", flat=True)))
        messages.info(
            request,
            ngettext(
                "%(n)s bericht opnieuw aangeboden.", "%(n)s berichten opnieuw aangeboden.", count
            )
            % {"n": count},
        )

    def has_add_permission(self, request):
        return False
