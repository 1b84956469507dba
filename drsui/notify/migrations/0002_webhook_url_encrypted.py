"""A webhook's URL is a secret (a robot's access token rides in it): encrypted at rest like its
secret, shown as scheme and host only."""

from django.db import migrations, models

from drsui import crypto
from drsui.notify.models import url_shown


def encrypt_urls(apps, schema_editor):
    Webhook = apps.get_model("notify", "Webhook")
    for webhook in Webhook.objects.all():
        Webhook.objects.filter(pk=webhook.pk).update(
            url_encrypted=crypto.encrypt_text(webhook.url), url_shown=url_shown(webhook.url))


def decrypt_urls(apps, schema_editor):
    Webhook = apps.get_model("notify", "Webhook")
    for webhook in Webhook.objects.all():
        Webhook.objects.filter(pk=webhook.pk).update(
            url=crypto.decrypt_text(webhook.url_encrypted))


class Migration(migrations.Migration):

    dependencies = [
        ("notify", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="webhook",
            name="url_encrypted",
            field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="webhook",
            name="url_shown",
            field=models.CharField(default="", editable=False, max_length=300,
                                   verbose_name="URL"),
            preserve_default=False,
        ),
        migrations.AlterField(  # emptied by the reverse's removal, filled again by it
            model_name="webhook",
            name="url",
            field=models.URLField(blank=True, default="", max_length=500, verbose_name="URL"),
        ),
        migrations.RunPython(encrypt_urls, decrypt_urls),
        migrations.RemoveField(
            model_name="webhook",
            name="url",
        ),
    ]
