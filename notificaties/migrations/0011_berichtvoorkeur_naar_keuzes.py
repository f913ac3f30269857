"""The e-mail choice about activities (``User.berichtvoorkeur``: at once, a daily overview, or
none) becomes choices per kind on "Meldingen en berichten", the one place for them: a daily
overview → reminders and organisers' messages in the daily digest; none → waiting-list places,
reminders and messages not sent (still on the site). A choice already made per kind wins.
``accounts.0008`` then removes the field."""

from django.conf import settings
from django.db import migrations

KEUZES = {
    "dagelijks": {"herinnering": "dag", "bericht": "dag"},
    "geen": {"wachtlijst": "uit", "herinnering": "uit", "bericht": "uit"},
}


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Berichtinstelling = apps.get_model("notificaties", "Berichtinstelling")
    for voorkeur, keuzes in KEUZES.items():
        user_ids = User.objects.filter(berichtvoorkeur=voorkeur).values_list("pk", flat=True)
        for user_id in user_ids.iterator():
            instelling, _created = Berichtinstelling.objects.get_or_create(
                user_id=user_id,
                # Whoever saved nothing keeps the site's quiet hours (notificaties.voorkeuren).
                defaults={"stille_uren": settings.WIJKAANPAK_STILLE_UREN},
            )
            instelling.keuzes = {**keuzes, **instelling.keuzes}
            instelling.save(update_fields=["keuzes"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_user_taal"),
        ("notificaties", "0010_verzoek_nieuw"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
