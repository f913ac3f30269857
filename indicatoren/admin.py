from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Berekening, IndicatorInstelling, Peiling, Publicatie, Snapshot


@admin.register(IndicatorInstelling)
class IndicatorInstellingAdmin(admin.ModelAdmin):
    list_display = ["gemeente", "streefwaarde_actieve_kern", "min_n_enquete", "min_n_telling"]


@admin.register(Peiling)
class PeilingAdmin(admin.ModelAdmin):
    """Rounds only: responses are not browsable one by one, not even by administrators."""

    list_display = ["titel", "wijk", "geopend_at", "gesloten_at"]
    list_filter = ["wijk__gemeente"]
    search_fields = ["titel", "wijk__naam"]
    readonly_fields = ["opened_by", "geopend_at", "gesloten_at"]
    autocomplete_fields = ["wijk"]


@admin.register(Berekening)
class BerekeningAdmin(admin.ModelAdmin):
    list_display = [
        "gemeente",
        "periode_start",
        "periode_eind",
        "status",
        "voortgang",
        "created_at",
    ]
    list_filter = ["status"]
    readonly_fields = [f.name for f in Berekening._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Publicatie)
class PublicatieAdmin(admin.ModelAdmin):
    """Published versions are final: not edited or deleted here. A correction is a new version,
    made with the correction form (linked per row)."""

    list_display = ["__str__", "versie", "gepubliceerd_at", "notitie", "corrigeren"]
    list_filter = ["gemeente", "periode_eind"]
    readonly_fields = [f.name for f in Publicatie._meta.fields]

    @admin.display(description=_("correctie"))
    def corrigeren(self, obj):
        url = reverse(
            "indicatoren:corrigeren", args=[obj.gemeente.code, obj.periode_eind.isoformat()]
        )
        return format_html('<a href="{}">{}</a>', url, _("Corrigeren"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("gemeente")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["__str__", "niveau", "periode_eind", "berekend_at", "publicatie"]
    list_filter = ["niveau", "periode_eind", ("publicatie", admin.EmptyFieldListFilter)]
    readonly_fields = [f.name for f in Snapshot._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
