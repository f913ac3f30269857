from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.access import is_administrator
from buurten.models import Gemeente

from . import kwartaal, publicatie, selectors, services
from .forms import CorrectieForm
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
    """Published versions are final: not edited or deleted here. A correction is a new version
    with a note, made with the correction page (linked per row; administrators only)."""

    list_display = ["__str__", "versie", "gepubliceerd_at", "notitie", "corrigeren"]
    list_filter = ["gemeente", "periode_eind"]
    readonly_fields = [f.name for f in Publicatie._meta.fields]

    @admin.display(description=_("correctie"))
    def corrigeren(self, obj):
        if obj.versie < obj.laatste_versie:  # a later version corrects this one already
            return gettext("vervangen door versie %(versie)s") % {"versie": obj.laatste_versie}
        url = reverse(
            "admin:indicatoren_publicatie_corrigeren",
            args=[obj.gemeente.code, obj.periode_eind.isoformat()],
        )
        return format_html('<a href="{}">{}</a>', url, _("Corrigeren"))

    def get_queryset(self, request):
        later = Publicatie.objects.filter(
            gemeente=OuterRef("gemeente"),
            periode_start=OuterRef("periode_start"),
            periode_eind=OuterRef("periode_eind"),
        ).order_by("-versie")
        return (
            super()
            .get_queryset(request)
            .select_related("gemeente")
            .annotate(laatste_versie=Subquery(later.values("versie")[:1]))
        )

    def get_urls(self):
        return [
            path(
                "<str:gemeente_code>/<str:periode>/corrigeren/",
                self.admin_site.admin_view(self.correctie),
                name="indicatoren_publicatie_corrigeren",
            ),
            *super().get_urls(),
        ]

    def correctie(self, request, gemeente_code, periode):
        """Compute a published quarter again as a new version with a note (ADR 0006)."""
        if not is_administrator(request.user):
            raise PermissionDenied
        gemeente = get_object_or_404(Gemeente, code=gemeente_code.upper())
        periode_eind = publicatie.parse_periode(periode)
        latest = periode_eind and selectors.publicatie_for(gemeente, periode_eind=periode_eind)
        if not latest:
            raise Http404
        form = CorrectieForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                nieuw = services.publicatie_correct(
                    publicatie=latest, by=request.user, notitie=form.cleaned_data["notitie"]
                )
            except ValidationError as exc:
                form.add_error("notitie", exc.messages)
            else:
                label = kwartaal.label(nieuw.periode_start, nieuw.periode_eind)
                messages.success(
                    request,
                    gettext("Versie %(versie)s van %(kwartaal)s is gepubliceerd.")
                    % {"versie": nieuw.versie, "kwartaal": label},
                )
                return redirect("admin:indicatoren_publicatie_changelist")
        label = kwartaal.label(latest.periode_start, latest.periode_eind)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Publicatie corrigeren · %(gemeente)s · %(kwartaal)s")
            % {"gemeente": gemeente.naam, "kwartaal": label},
            "form": form,
            "versies": selectors.versies(latest),
            "opts": self.model._meta,
        }
        return render(request, "admin/indicatoren/publicatie/corrigeren.html", context)

    # Administrators correct here (``correctie``) and land on this list: they see it whatever
    # their model permissions.
    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_module_permission(self, request):
        return is_administrator(request.user)

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
