"""Messages written before the outbox kept the status link out of its bodies still hold
a working link; replace it with the placeholder that delivery fills in at send time."""

from django.db import migrations

LINK = r"https?://[^[:space:]]*/s/[A-Za-z0-9_-]{43}/"
PLACEHOLDER = "{{status_link}}"


def forwards(apps, schema_editor):
    Notification = apps.get_model("cases", "Notification")
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Notification._meta.db_table} "
                "SET body = regexp_replace(body, %s, %s, 'g') WHERE body ~ %s",
                [LINK, PLACEHOLDER, LINK],
            )
        return
    import re

    pattern = re.compile(r"https?://\S*/s/[A-Za-z0-9_-]{43}/")
    for note in Notification.objects.filter(body__contains="/s/").only("pk", "body"):
        body = pattern.sub(PLACEHOLDER, note.body)
        if body != note.body:
            Notification.objects.filter(pk=note.pk).update(body=body)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_notification_cancelled")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
