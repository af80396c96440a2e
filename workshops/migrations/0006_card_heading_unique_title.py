from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0005_cardheading_title_key"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="cardheading",
            constraint=models.UniqueConstraint(
                fields=("session", "theme", "title_key"), name="card_heading_unique_title"
            ),
        ),
    ]
