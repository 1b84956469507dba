"""Draft.furthest_step: an index into the steps becomes the step's slug.

The steps are written out as they stood while progress was an index: what an old index means
must not change when STEPS does.
"""

from django.db import migrations, models

SLUGS_BY_INDEX = ("base", "source", "target", "network", "billing", "node", "review")


def index_to_slug(apps, schema_editor):
    Draft = apps.get_model("wizard", "Draft")
    for index, slug in enumerate(SLUGS_BY_INDEX):
        Draft.objects.filter(furthest_index=index).update(furthest_step=slug)
    # Beyond the last step (a body imported as "every step reached"): the review.
    Draft.objects.filter(furthest_index__gte=len(SLUGS_BY_INDEX)).update(
        furthest_step=SLUGS_BY_INDEX[-1])


def slug_to_index(apps, schema_editor):
    """Back: a slug of a step added since counts as the first, as it does going forward."""
    Draft = apps.get_model("wizard", "Draft")
    for index, slug in enumerate(SLUGS_BY_INDEX):
        Draft.objects.filter(furthest_step=slug).update(furthest_index=index)


class Migration(migrations.Migration):

    dependencies = [
        ("wizard", "0003_body_keeps_key_order"),
    ]

    operations = [
        migrations.RenameField("draft", "furthest_step", "furthest_index"),
        migrations.AddField(
            model_name="draft",
            name="furthest_step",
            field=models.CharField(default="base", max_length=16),
        ),
        migrations.RunPython(index_to_slug, slug_to_index, elidable=False),
        migrations.RemoveField("draft", "furthest_index"),
    ]
