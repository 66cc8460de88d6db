"""Story redirects: the old address of a merged or regrouped story leads to the one that took it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_search_words_per_statement"),
    ]

    operations = [
        migrations.CreateModel(
            name="StoryRedirect",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("old_id", models.PositiveIntegerField(unique=True)),
                (
                    "target_id",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="The story that took its articles; empty when none did.",
                        null=True,
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        blank=True, help_text="The story's name when it went.", max_length=255
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
