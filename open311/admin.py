from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Client, Herkomst
from .services import client_issue, client_revoke


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    """Issue a key for an outside app, bound to one gemeente; the key is shown once."""

    list_display = ["naam", "gemeente", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["gemeente", "revoked_at"]
    fields = ["naam", "gemeente", "contact"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        client, key = client_issue(
            naam=form.cleaned_data["naam"],
            gemeente=form.cleaned_data["gemeente"],
            contact=form.cleaned_data["contact"],
            by=request.user,
        )
        obj.pk, obj.prefix = client.pk, client.prefix
        messages.warning(
            request,
            _("Sleutel voor %(naam)s (alleen nu zichtbaar, bewaar hem veilig): %(key)s")
            % {"naam": client.naam, "key": key},
        )
        return None

    def has_change_permission(self, request, obj=None):
        return obj is None

    @admin.action(description=_("Intrekken"))
    def revoke(self, request, queryset):
        clients = list(queryset.filter(revoked_at=None))
        for client in clients:
            client_revoke(client=client)
        messages.info(
            request,
            ngettext("%(n)s sleutel ingetrokken.", "%(n)s sleutels ingetrokken.", len(clients))
            % {"n": len(clients)},
        )


@admin.register(Herkomst)
class HerkomstAdmin(admin.ModelAdmin):
    """Which melding came from which app. Contact details are not here: they are revealed in
    the app, audited, like any reporter's."""

    list_display = ["melding", "client", "created_at"]
    list_filter = ["client"]
    list_select_related = ["melding", "client"]
    fields = ["melding", "client", "token", "media_url", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
