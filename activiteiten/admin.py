from django.contrib import admin

from wijkaanpak.admin_lists import LabelledListEditable

from .models import Aanmelding, Activiteit, Rol, Soort


@admin.register(Soort)
class SoortAdmin(LabelledListEditable, admin.ModelAdmin):
    list_display = ["naam", "naam_en", "volgorde", "actief"]
    list_editable = ["volgorde", "actief"]
    # The name beside its English (ADR 0014): blank English shows the Dutch.
    fields = [("naam", "naam_en"), "volgorde", "actief"]


class RolInline(admin.TabularInline):
    model = Rol
    extra = 0


@admin.register(Activiteit)
class ActiviteitAdmin(admin.ModelAdmin):
    list_display = ["titel", "buurt", "start", "capaciteit", "zichtbaarheid"]
    list_filter = ["soort", "zichtbaarheid"]
    search_fields = ["titel", "buurt__naam"]
    list_select_related = ["buurt"]
    raw_id_fields = ["buurt", "organisator"]
    inlines = [RolInline]


@admin.register(Aanmelding)
class AanmeldingAdmin(admin.ModelAdmin):
    list_display = ["activiteit", "status", "rol", "aanwezig", "uren", "created_at"]
    list_filter = ["status"]
    list_select_related = ["activiteit", "rol"]
    raw_id_fields = ["activiteit", "user", "rol"]
