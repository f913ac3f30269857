"""Team tokens, taken over from ``meldingen`` (``meldingen.0015_feedtoken_to_teamapi`` renamed the
table to ``teamapi_feedtoken``): the model moves in Django's state only, every row stays. The
content type moves with it, so permissions given on tokens and the admin's history of them
stay attached."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    # On a new database neither exists yet (content types are made after migrating).
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="teamapi", model="feedtoken").exists():
        ContentType.objects.filter(app_label="meldingen", model="feedtoken").update(
            app_label="teamapi"
        )


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="meldingen", model="feedtoken").exists():
        ContentType.objects.filter(app_label="teamapi", model="feedtoken").update(
            app_label="meldingen"
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0006_security_cache_table"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("meldingen", "0015_feedtoken_to_teamapi"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="FeedToken",
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
                            "prefix",
                            models.CharField(
                                editable=False, max_length=12, unique=True, verbose_name="prefix"
                            ),
                        ),
                        (
                            "key_hash",
                            models.CharField(
                                editable=False, max_length=64, verbose_name="hash van de sleutel"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="gemaakt"),
                        ),
                        (
                            "last_used_at",
                            models.DateTimeField(
                                blank=True,
                                editable=False,
                                null=True,
                                verbose_name="laatst gebruikt",
                            ),
                        ),
                        (
                            "revoked_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="ingetrokken"),
                        ),
                        (
                            "naam",
                            models.CharField(
                                help_text="Welk systeem gebruikt hem.",
                                max_length=80,
                                verbose_name="naam",
                            ),
                        ),
                        (
                            "created_by",
                            models.ForeignKey(
                                editable=False,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="gemaakt door",
                            ),
                        ),
                        (
                            "team",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="feed_tokens",
                                to="accounts.team",
                                verbose_name="team",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "feed-token",
                        "verbose_name_plural": "feed-tokens",
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
