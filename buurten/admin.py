from django.contrib import admin

from .models import Borgstelling, Buurt, Gemeente, Lidmaatschap, Stadsdeel, Uitnodigingscode, Wijk


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


class BorgstellingInline(admin.TabularInline):
    model = Borgstelling
    extra = 0
    raw_id_fields = ["borg"]
    readonly_fields = ["created_at"]


@admin.register(Lidmaatschap)
class LidmaatschapAdmin(admin.ModelAdmin):
    list_display = ["buurt", "status", "via", "created_at", "decided_at"]
    list_filter = ["status", "via"]
    search_fields = ["buurt__naam"]
    list_select_related = ["buurt"]
    raw_id_fields = ["user", "buurt", "decided_by", "uitnodigingscode"]
    inlines = [BorgstellingInline]
