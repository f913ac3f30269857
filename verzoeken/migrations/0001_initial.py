"""Faciliteringsverzoeken in their own app: the models come from activiteiten with every row.

``activiteiten/migrations/0008_verzoeken_to_own_app.py`` renamed the tables to ``verzoeken_*``;
here the models enter this app's state without touching the database, and their content types
follow them, so permissions and admin log entries keep pointing at the same rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = ["verzoek", "verzoekhistorie", "stilzwijgendregel"]


def _move_content_types(apps, *, old: str, new: str) -> None:
    """Relabel the content types, so their ids stay and with them every permission and log
    entry. A fresh database has none yet (Django makes them after migrating); one already made
    for the new label (a migration run back and forth) is kept as it is."""
    content_types = apps.get_model("contenttypes", "ContentType").objects
    taken = set(content_types.filter(app_label=new).values_list("model", flat=True))
    content_types.filter(app_label=old, model__in=set(MOVED) - taken).update(app_label=new)


def forwards(apps, schema_editor):
    _move_content_types(apps, old="activiteiten", new="verzoeken")


def backwards(apps, schema_editor):
    _move_content_types(apps, old="verzoeken", new="activiteiten")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("activiteiten", "0008_verzoeken_to_own_app"),
        ("buurten", "0005_lidmaatschap_coordinators_notified_of_vouching"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Verzoek",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "soort",
                            models.CharField(
                                choices=[
                                    ("materialen", "Materialen of iets lenen"),
                                    ("budget", "Klein budget"),
                                    ("ruimte", "Een ruimte"),
                                    ("straatfeest", "Melding straatfeest"),
                                    ("contact", "Contact met een partnerorganisatie"),
                                    ("papierwerk", "Hulp bij papierwerk"),
                                ],
                                max_length=20,
                                verbose_name="wat heb je nodig",
                            ),
                        ),
                        (
                            "bedrag",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=8,
                                null=True,
                                verbose_name="bedrag (€)",
                            ),
                        ),
                        ("nodig_op", models.DateField(verbose_name="nodig op")),
                        (
                            "toelichting",
                            models.TextField(max_length=1000, verbose_name="korte toelichting"),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("concept", "Concept"),
                                    ("ingediend", "Ingediend"),
                                    ("aanvulling_gevraagd", "Aanvulling gevraagd"),
                                    ("toegekend", "Toegekend"),
                                    ("afgewezen", "Afgewezen"),
                                    ("uitgevoerd", "Uitgevoerd"),
                                    ("verantwoord", "Verantwoord"),
                                    ("ingetrokken", "Ingetrokken"),
                                ],
                                default="concept",
                                max_length=24,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "ingediend_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="ingediend op"
                            ),
                        ),
                        (
                            "deadline",
                            models.DateField(
                                blank=True, null=True, verbose_name="besluit uiterlijk"
                            ),
                        ),
                        (
                            "stilzwijgend",
                            models.BooleanField(default=False, verbose_name="stilzwijgend akkoord"),
                        ),
                        (
                            "besloten_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="besloten op"),
                        ),
                        (
                            "reden",
                            models.TextField(blank=True, max_length=1000, verbose_name="reden"),
                        ),
                        (
                            "verantwoording",
                            models.TextField(
                                blank=True, max_length=1000, verbose_name="verantwoording"
                            ),
                        ),
                        (
                            "verantwoording_foto",
                            models.ImageField(
                                blank=True,
                                upload_to="verzoeken/",
                                verbose_name="foto bij de verantwoording",
                            ),
                        ),
                        (
                            "deelnemers",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="aantal deelnemers"
                            ),
                        ),
                        (
                            "escalated_at",
                            models.DateTimeField(
                                blank=True, editable=False, null=True, verbose_name="geëscaleerd op"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="aangemaakt op"),
                        ),
                        (
                            "aanvrager",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="verzoeken",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="aanvrager",
                            ),
                        ),
                        (
                            "activiteit",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="verzoeken",
                                to="activiteiten.activiteit",
                                verbose_name="activiteit",
                            ),
                        ),
                        (
                            "buurt",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="verzoeken",
                                to="buurten.buurt",
                                verbose_name="buurt",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "faciliteringsverzoek",
                        "verbose_name_plural": "faciliteringsverzoeken",
                        "ordering": ["deadline", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="VerzoekHistorie",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "van",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("concept", "Concept"),
                                    ("ingediend", "Ingediend"),
                                    ("aanvulling_gevraagd", "Aanvulling gevraagd"),
                                    ("toegekend", "Toegekend"),
                                    ("afgewezen", "Afgewezen"),
                                    ("uitgevoerd", "Uitgevoerd"),
                                    ("verantwoord", "Verantwoord"),
                                    ("ingetrokken", "Ingetrokken"),
                                ],
                                max_length=24,
                                verbose_name="van",
                            ),
                        ),
                        (
                            "naar",
                            models.CharField(
                                choices=[
                                    ("concept", "Concept"),
                                    ("ingediend", "Ingediend"),
                                    ("aanvulling_gevraagd", "Aanvulling gevraagd"),
                                    ("toegekend", "Toegekend"),
                                    ("afgewezen", "Afgewezen"),
                                    ("uitgevoerd", "Uitgevoerd"),
                                    ("verantwoord", "Verantwoord"),
                                    ("ingetrokken", "Ingetrokken"),
                                ],
                                max_length=24,
                                verbose_name="naar",
                            ),
                        ),
                        (
                            "bericht",
                            models.TextField(blank=True, max_length=1000, verbose_name="bericht"),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="gewijzigd op"),
                        ),
                        (
                            "notified_at",
                            models.DateTimeField(
                                blank=True,
                                editable=False,
                                null=True,
                                verbose_name="bericht verstuurd op",
                            ),
                        ),
                        (
                            "door",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="door",
                            ),
                        ),
                        (
                            "verzoek",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="historie",
                                to="verzoeken.verzoek",
                                verbose_name="verzoek",
                            ),
                        ),
                    ],
                    options={
                        "ordering": ["created_at", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="StilzwijgendRegel",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "soort",
                            models.CharField(
                                choices=[
                                    ("materialen", "Materialen of iets lenen"),
                                    ("budget", "Klein budget"),
                                    ("ruimte", "Een ruimte"),
                                    ("straatfeest", "Melding straatfeest"),
                                    ("contact", "Contact met een partnerorganisatie"),
                                    ("papierwerk", "Hulp bij papierwerk"),
                                ],
                                max_length=20,
                                verbose_name="soort verzoek",
                            ),
                        ),
                        (
                            "max_bedrag",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                help_text="Leeg: tot het maximum voor stilzwijgend akkoord, of geen bedrag nodig.",
                                max_digits=8,
                                null=True,
                                verbose_name="tot en met bedrag (€)",
                            ),
                        ),
                        (
                            "werkdagen",
                            models.PositiveSmallIntegerField(default=3, verbose_name="werkdagen"),
                        ),
                        ("actief", models.BooleanField(default=True, verbose_name="actief")),
                        (
                            "gewijzigd_at",
                            models.DateTimeField(
                                blank=True, editable=False, null=True, verbose_name="gewijzigd op"
                            ),
                        ),
                        (
                            "gemeente",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="buurten.gemeente",
                                verbose_name="gemeente",
                            ),
                        ),
                        (
                            "gewijzigd_door",
                            models.ForeignKey(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="gewijzigd door",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "regel stilzwijgend akkoord",
                        "verbose_name_plural": "regels stilzwijgend akkoord",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("gemeente", "soort"), name="stilzwijgend_een_per_soort"
                            )
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="verzoek",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("bedrag__isnull", True), ("bedrag__gte", 0), _connector="OR"
                        ),
                        name="verzoek_bedrag_positief",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
