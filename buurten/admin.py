from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    Borgstelling,
    Buurt,
    Gemeente,
    Lidmaatschap,
    LidmaatschapHistorie,
    Stadsdeel,
    Uitnodigingscode,
    Wijk,
)


@admin.register(Gemeente)
class GemeenteAdmin(admin.ModelAdmin):
    list_display = ["naam", "code"]
    search_fields = ["naam", "code"]


@admin.register(Stadsdeel)
class StadsdeelAdmin(admin.ModelAdmin):
    list_display = ["naam", "code", "gemeente"]


@admin.register(Wijk)
class WijkAdmin(admin.ModelAdmin):
    list_display = ["naam", "code", "stadsdeel", "gemeente"]
    list_filter = ["stadsdeel"]
    search_fields = ["naam", "code"]
    list_select_related = ["stadsdeel", "gemeente"]


@admin.register(Buurt)
class BuurtAdmin(admin.ModelAdmin):
    list_display = ["naam", "code", "wijk", "inwoners"]
    list_filter = ["stadsdeel"]
    search_fields = ["naam", "code", "wijk__naam"]
    list_select_related = ["wijk"]
    readonly_fields = ["geometrie"]


@admin.register(Uitnodigingscode)
class UitnodigingscodeAdmin(admin.ModelAdmin):
    list_display = ["code", "buurt", "label", "created_at", "revoked_at"]
    search_fields = ["code", "buurt__naam"]
    list_select_related = ["buurt"]
    raw_id_fields = ["buurt", "created_by"]


class LidmaatschapHistorieInline(admin.TabularInline):
    """Who decided what, append-only: shown, never added, changed or deleted here."""

    model = LidmaatschapHistorie
    extra = 0
    can_delete = False
    fields = ["created_at", "actie", "van", "naar", "door", "reden"]
    readonly_fields = fields
    verbose_name_plural = _("geschiedenis")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BorgstellingInline(admin.TabularInline):
    """Vouches are given and undone through the services (they decide the membership): shown
    here, never added, edited or removed."""

    model = Borgstelling
    extra = 0
    fields = ["borg", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Lidmaatschap)
class LidmaatschapAdmin(admin.ModelAdmin):
    list_display = ["buurt", "status", "via", "created_at", "decided_at"]
    list_filter = ["status", "via"]
    search_fields = ["buurt__naam"]
    list_select_related = ["buurt"]
    # Memberships start and change only through the services (buurten.workflow), which write
    # the history; the admin shows them. Whose and which buurt are part of that: a membership
    # moved to another buurt here would bypass both.
    readonly_fields = [
        "user",
        "buurt",
        "uitnodigingscode",
        "status",
        "via",
        "decided_at",
        "decided_by",
        "reden_afwijzing",
    ]
    inlines = [BorgstellingInline, LidmaatschapHistorieInline]

    def has_add_permission(self, request):
        return False
