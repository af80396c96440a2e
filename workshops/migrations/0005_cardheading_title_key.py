"""One heading per title in a theme of a session, step 1: headings get their comparison key and
duplicates made before the rule are merged (cards move to the heading created first). Step 2
(0006) adds the constraint, in its own transaction: PostgreSQL does not alter a table with
foreign-key checks still pending from these deletions."""

import unicodedata

from django.db import migrations, models


def _key(title: str) -> str:
    # A frozen copy of workshops.models.heading_key as this migration knew it.
    return "".join(unicodedata.normalize("NFKC", title).casefold().split())


def merge_duplicate_headings(apps, schema_editor) -> None:
    CardHeading = apps.get_model("workshops", "CardHeading")
    OpinionCard = apps.get_model("workshops", "OpinionCard")
    kept: dict[tuple, int] = {}
    for heading in CardHeading.objects.order_by("id"):
        scope = (heading.session_id, heading.theme, _key(heading.title))
        if scope not in kept:
            kept[scope] = heading.pk
            heading.title_key = scope[2]
            heading.save(update_fields=["title_key"])
            continue
        # Every card under the duplicate, merged originals included, moves to the kept one.
        OpinionCard.objects.filter(heading_id=heading.pk).update(heading_id=kept[scope])
        heading.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0004_merge_indicator_and_survey_round"),
    ]

    operations = [
        migrations.AddField(
            model_name="cardheading",
            name="title_key",
            field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
        migrations.RunPython(merge_duplicate_headings, migrations.RunPython.noop),
    ]
