"""Program search fields (sheets/search.py), back-filled; saved searches; and on PostgreSQL a
GIN index over the bigram array (serves 2-character keywords: docs tech-notes "Search")."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import sheets.textsearch

GIN_INDEX = "sheets_program_search_bigrams_gin"


def backfill(apps, schema_editor):
    from sheets.search import search_values

    Program = apps.get_model("sheets", "Program")
    for program in Program.objects.select_related("employer").prefetch_related("source_rows"):
        Program.objects.filter(pk=program.pk).update(**search_values(program))


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON sheets_program USING gin (string_to_array(search_bigrams, ' '))"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_agency_require_2fa"),
        ("sheets", "0003_photos_intro_print_limits"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="program",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="program",
            name="search_bigrams",
            field=sheets.textsearch.BigramsField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="program",
            name="search_facets",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_gin_index, drop_gin_index),
        migrations.CreateModel(
            name="SavedSearch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("name", models.CharField(max_length=100, verbose_name="name of the search")),
                ("query", models.CharField(blank=True, max_length=2000, verbose_name="search")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="registry.agency",
                        verbose_name="agency",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="saved_searches",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "saved search",
                "verbose_name_plural": "saved searches",
                "ordering": ["name"],
                "constraints": [
                    models.UniqueConstraint(fields=("user", "agency", "name"), name="saved_search_unique_name")
                ],
            },
        ),
    ]
