from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from buurten.models import Buurt
from wijkaanpak.admin_lists import LabelledListEditable
from wijkaanpak.forms import LocalDateTimeField
from wijkaanpak.ids import as_id

from . import routing
from .models import (
    Categorie,
    Inzage,
    Melding,
    Outbox,
    RoutingRegel,
    StatusWijziging,
)
from .referentie import as_melding_reference


@admin.register(Categorie)
class CategorieAdmin(LabelledListEditable, admin.ModelAdmin):
    list_display = [
        "naam",
        "naam_en",
        "ernst",
        "reactietermijn_uren",
        "is_intimidatie",
        "volgorde",
        "actief",
    ]
    list_editable = ["volgorde", "actief"]
    # Each text beside its English (ADR 0014): blank English shows the Dutch.
    fieldsets = [
        (
            _("Wat de melder leest"),
            {
                "fields": [
                    ("naam", "naam_en"),
                    ("toelichting", "toelichting_en"),
                    ("voorbeeld", "voorbeeld_en"),
                ],
                "description": _("Laat een Engelse tekst leeg om de Nederlandse te tonen."),
            },
        ),
        (
            _("Afhandeling"),
            {
                "fields": [
                    "ernst",
                    "reactietermijn_uren",
                    "is_intimidatie",
                    "trefwoorden",
                    "volgorde",
                    "actief",
                ]
            },
        ),
    ]


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete, except that a posted value that is no id is left out when the
    form is drawn again with its errors: Django looks every posted value up, and "abc" or a
    NUL character there is a 500 instead of "Selecteer een geldige keuze"."""

    def optgroups(self, name, value, attr=None):
        ids = [v for v in value if as_id(v) is not None]
        return super().optgroups(name, ids, attr)


class DryRunForm(forms.Form):
    categorie = forms.ModelChoiceField(queryset=Categorie.objects.all(), label=_("Categorie"))
    # Hundreds of buurten: searched as you type (the admin's autocomplete, through BuurtAdmin's
    # search_fields) instead of one long dropdown. Django's own script and styles, no inline code.
    buurt = forms.ModelChoiceField(
        queryset=Buurt.objects.select_related("wijk"),
        label=_("Buurt"),
        widget=SafeAutocompleteSelect(RoutingRegel._meta.get_field("buurt"), admin.site),
    )
    tijdstip = LocalDateTimeField(label=_("Tijdstip van melden"))


@admin.register(RoutingRegel)
class RoutingRegelAdmin(LabelledListEditable, admin.ModelAdmin):
    list_display = ["__str__", "volgorde", "doel", "actief"]
    list_editable = ["volgorde", "actief"]
    list_filter = ["doel", "actief", "categorie"]
    autocomplete_fields = ["wijk", "buurt"]  # search as you type, not 110 and 517 options
    change_list_template = "admin/meldingen/routingregel/change_list.html"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.autocomplete_fields:
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        return [
            path(
                "proef/", self.admin_site.admin_view(self.dry_run), name="meldingen_routing_proef"
            ),
            *super().get_urls(),
        ]

    def dry_run(self, request):
        """Where would a melding of this category, in this buurt, at this time go?"""
        form = DryRunForm(request.POST or None)
        decision = None
        if request.method == "POST" and form.is_valid():
            decision = routing.decide(
                categorie=form.cleaned_data["categorie"],
                buurt=form.cleaned_data["buurt"],
                at=form.cleaned_data["tijdstip"],
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Proefrit routering"),
            "form": form,
            "decision": decision,
            "opts": self.model._meta,
        }
        return render(request, "admin/meldingen/routingregel/dry_run.html", context)


class StatusWijzigingInline(admin.TabularInline):
    model = StatusWijziging
    extra = 0
    can_delete = False
    # A reporter who acted is the role "melder" (door_rol), never an account: see the model.
    # The message to the first reporter is personal ("Beste Zara"): only whether one was sent.
    fields = [
        "van",
        "naar",
        "door",
        "door_rol",
        "terugkoppeling",
        "aan_eerste_melder",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("bericht aan de eerste melder"))
    def aan_eerste_melder(self, obj):
        return _("verstuurd (te lezen bij inzage)") if obj.bericht_eerste_melder else "—"


@admin.register(Melding)
class MeldingAdmin(admin.ModelAdmin):
    """Administrators see cases, not reporters: identities are revealed only in the app, audited."""

    list_display = ["samenvatting", "referentie", "status", "doel", "prioriteit", "created_at"]
    list_filter = ["status", "doel", "prioriteit", "categorie"]
    # A reference as a reporter quotes it on the phone ("m 7k3q 9px2") is found as stored.
    search_fields = ["samenvatting", "buurt__naam", "=referentie"]
    list_select_related = ["categorie", "buurt"]
    readonly_fields = [f.name for f in Melding._meta.fields if not f.generated]
    inlines = [StatusWijzigingInline]

    def has_add_permission(self, request):
        return False

    def get_search_results(self, request, queryset, search_term):
        results, may_duplicate = super().get_search_results(request, queryset, search_term)
        reference = as_melding_reference(search_term)
        if reference is not None:  # "m 7k3q 9px2" as quoted on the phone; words match as well
            results |= queryset.filter(referentie=reference)
        return results, may_duplicate


class FailedFilter(admin.SimpleListFilter):
    title = _("toestand")
    parameter_name = "toestand"

    def lookups(self, request, model_admin):
        return [("open", _("Nog niet afgerond")), ("mislukt", _("Mislukt")), ("klaar", _("Klaar"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(done_at=None, failed_at=None)
        if self.value() == "mislukt":
            return queryset.exclude(failed_at=None)
        if self.value() == "klaar":
            return queryset.exclude(done_at=None)
        return queryset


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    """Routing that keeps failing shows here (filter "Mislukt"); retry sends it again."""

    list_display = ["melding", "attempts", "created_at", "done_at", "failed_at", "last_error"]
    list_filter = [FailedFilter, "soort"]
    readonly_fields = [f.name for f in Outbox._meta.fields]
    actions = ["retry"]

    @admin.action(description=_("Opnieuw proberen"))
    def retry(self, request, queryset):
        from .tasks import relay

        pks = list(queryset.filter(done_at=None).values_list("pk", flat=True))
        queryset.filter(pk__in=pks).update(failed_at=None, attempts=0, last_error="")
        handed = sum(relay(pk) for pk in pks)
        messages.info(
            request,
            ngettext("%(n)s taak opnieuw aangeboden.", "%(n)s taken opnieuw aangeboden.", handed)
            % {"n": handed},
        )

    def has_add_permission(self, request):
        return False


@admin.register(Inzage)
class InzageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "door", "melder", "grond", "reden"]
    list_filter = ["created_at", "grond"]
    readonly_fields = ["melder", "door", "grond", "reden", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
