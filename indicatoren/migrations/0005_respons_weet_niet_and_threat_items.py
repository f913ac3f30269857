"""Survey answers tell "weet niet" (stored as 9, on no scale) from a skipped item (NULL), and two
items about the buurt's own threats (drug dealing, intimidation) join the survey.

Data: responses stored before held NULL for both "weet niet" and skipped; which one a resident
meant cannot be known, so they stay NULL and count as skipped (ADR 0006). Going back, every 9
becomes NULL again, which is what the earlier code read as "weet niet".
"""

from django.db import migrations, models

WEET_NIET_CODE = 9
ITEMS_BEFORE = (
    *(f"sc{i}" for i in range(1, 6)),
    *(f"isc{i}" for i in range(1, 6)),
    *(f"sct{i}" for i in range(1, 6)),
    "bereidheid",
    "aanspreken",
)


def weet_niet_to_null(apps, schema_editor):
    respons = apps.get_model("indicatoren", "Respons")
    for key in ITEMS_BEFORE:
        respons.objects.filter(**{key: WEET_NIET_CODE}).update(**{key: None})


class Migration(migrations.Migration):
    dependencies = [
        ("indicatoren", "0004_starter_aanmelding"),
    ]

    operations = [
        migrations.AddField(
            model_name="respons",
            name="drugshandel",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "Helemaal mee oneens"),
                    (2, "Mee oneens"),
                    (3, "Niet mee eens, niet mee oneens"),
                    (4, "Mee eens"),
                    (5, "Helemaal mee eens"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="drugshandel",
            ),
        ),
        migrations.AddField(
            model_name="respons",
            name="intimidatie",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "Helemaal mee oneens"),
                    (2, "Mee oneens"),
                    (3, "Niet mee eens, niet mee oneens"),
                    (4, "Mee eens"),
                    (5, "Helemaal mee eens"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="intimidatie",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="aanspreken",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "Helemaal mee oneens"),
                    (2, "Mee oneens"),
                    (3, "Niet mee eens, niet mee oneens"),
                    (4, "Mee eens"),
                    (5, "Helemaal mee eens"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="aanspreken",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="bereidheid",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "Helemaal mee oneens"),
                    (2, "Mee oneens"),
                    (3, "Niet mee eens, niet mee oneens"),
                    (4, "Mee eens"),
                    (5, "Helemaal mee eens"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="bereidheid",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="isc1",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "Zeer onwaarschijnlijk"),
                    (2, "Onwaarschijnlijk"),
                    (3, "Niet waarschijnlijk, niet onwaarschijnlijk"),
                    (4, "Waarschijnlijk"),
                    (5, "Zeer waarschijnlijk"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="isc1",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="isc2",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "Zeer onwaarschijnlijk"),
                    (2, "Onwaarschijnlijk"),
                    (3, "Niet waarschijnlijk, niet onwaarschijnlijk"),
                    (4, "Waarschijnlijk"),
                    (5, "Zeer waarschijnlijk"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="isc2",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="isc3",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "Zeer onwaarschijnlijk"),
                    (2, "Onwaarschijnlijk"),
                    (3, "Niet waarschijnlijk, niet onwaarschijnlijk"),
                    (4, "Waarschijnlijk"),
                    (5, "Zeer waarschijnlijk"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="isc3",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="isc4",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "Zeer onwaarschijnlijk"),
                    (2, "Onwaarschijnlijk"),
                    (3, "Niet waarschijnlijk, niet onwaarschijnlijk"),
                    (4, "Waarschijnlijk"),
                    (5, "Zeer waarschijnlijk"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="isc4",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="isc5",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "Zeer onwaarschijnlijk"),
                    (2, "Onwaarschijnlijk"),
                    (3, "Niet waarschijnlijk, niet onwaarschijnlijk"),
                    (4, "Waarschijnlijk"),
                    (5, "Zeer waarschijnlijk"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="isc5",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="sc1",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (0, "Helemaal mee oneens"),
                    (1, "Mee oneens"),
                    (2, "Niet mee eens, niet mee oneens"),
                    (3, "Mee eens"),
                    (4, "Helemaal mee eens"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="sc1",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="sc2",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (0, "Helemaal mee oneens"),
                    (1, "Mee oneens"),
                    (2, "Niet mee eens, niet mee oneens"),
                    (3, "Mee eens"),
                    (4, "Helemaal mee eens"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="sc2",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="sc3",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (0, "Helemaal mee oneens"),
                    (1, "Mee oneens"),
                    (2, "Niet mee eens, niet mee oneens"),
                    (3, "Mee eens"),
                    (4, "Helemaal mee eens"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="sc3",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="sc4",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (0, "Helemaal mee oneens"),
                    (1, "Mee oneens"),
                    (2, "Niet mee eens, niet mee oneens"),
                    (3, "Mee eens"),
                    (4, "Helemaal mee eens"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="sc4",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="sc5",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (0, "Helemaal mee oneens"),
                    (1, "Mee oneens"),
                    (2, "Niet mee eens, niet mee oneens"),
                    (3, "Mee eens"),
                    (4, "Helemaal mee eens"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="sc5",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="sct1",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "Helemaal mee oneens"),
                    (2, "Mee oneens"),
                    (3, "Niet mee eens, niet mee oneens"),
                    (4, "Mee eens"),
                    (5, "Helemaal mee eens"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="sct1",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="sct2",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "Helemaal mee oneens"),
                    (2, "Mee oneens"),
                    (3, "Niet mee eens, niet mee oneens"),
                    (4, "Mee eens"),
                    (5, "Helemaal mee eens"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="sct2",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="sct3",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "Helemaal mee oneens"),
                    (2, "Mee oneens"),
                    (3, "Niet mee eens, niet mee oneens"),
                    (4, "Mee eens"),
                    (5, "Helemaal mee eens"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="sct3",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="sct4",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "Helemaal mee oneens"),
                    (2, "Mee oneens"),
                    (3, "Niet mee eens, niet mee oneens"),
                    (4, "Mee eens"),
                    (5, "Helemaal mee eens"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="sct4",
            ),
        ),
        migrations.AlterField(
            model_name="respons",
            name="sct5",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (1, "Helemaal mee oneens"),
                    (2, "Mee oneens"),
                    (3, "Niet mee eens, niet mee oneens"),
                    (4, "Mee eens"),
                    (5, "Helemaal mee eens"),
                    (9, "Weet niet"),
                ],
                null=True,
                verbose_name="sct5",
            ),
        ),
        # Forwards: old NULLs stay NULL (skipped), nothing to convert.
        migrations.RunPython(migrations.RunPython.noop, weet_niet_to_null),
    ]
