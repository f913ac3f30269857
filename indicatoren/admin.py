from django.contrib import admin

from .models import Berekening, IndicatorInstelling, Peiling, Snapshot


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


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["__str__", "niveau", "periode_eind", "berekend_at"]
    list_filter = ["niveau", "periode_eind"]
    readonly_fields = [f.name for f in Snapshot._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
