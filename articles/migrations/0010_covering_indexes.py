"""Indexes that answer the pages' mention reads on their own.

Entity pages read "the visible mentions of this entity, newest article first" and count them;
article pages and the "mentioned with" lists read "the visible mentions in these articles". With
the status inside both indexes, none of these reads visits the table's rows. The (entity, article)
index they replace is a prefix of the first. The quote index lets a person's page read their
newest quotes in order instead of sorting every quote they ever gave.

Only indexes are added and dropped: no table is rebuilt, so the triggers of 0002 and 0009 stay.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_archive_version"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="eventmention",
            name="articles_ev_entity__87f7f7_idx",
        ),
        migrations.RemoveIndex(
            model_name="organizationmention",
            name="articles_or_entity__ed6502_idx",
        ),
        migrations.RemoveIndex(
            model_name="outletmention",
            name="articles_ou_entity__2f0722_idx",
        ),
        migrations.RemoveIndex(
            model_name="personmention",
            name="articles_pe_entity__65acdc_idx",
        ),
        migrations.RemoveIndex(
            model_name="placemention",
            name="articles_pl_entity__28885f_idx",
        ),
        migrations.AddIndex(
            model_name="eventmention",
            index=models.Index(
                fields=["entity", "article", "status"], name="articles_ev_entity__b00bc8_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="eventmention",
            index=models.Index(
                fields=["article", "entity", "status"], name="articles_ev_article_47a79f_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="organizationmention",
            index=models.Index(
                fields=["entity", "article", "status"], name="articles_or_entity__124b95_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="organizationmention",
            index=models.Index(
                fields=["article", "entity", "status"], name="articles_or_article_3b895d_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="outletmention",
            index=models.Index(
                fields=["entity", "article", "status"], name="articles_ou_entity__7b8390_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="outletmention",
            index=models.Index(
                fields=["article", "entity", "status"], name="articles_ou_article_123225_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="personmention",
            index=models.Index(
                fields=["entity", "article", "status"], name="articles_pe_entity__ee31b3_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="personmention",
            index=models.Index(
                fields=["article", "entity", "status"], name="articles_pe_article_0a4c2e_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="placemention",
            index=models.Index(
                fields=["entity", "article", "status"], name="articles_pl_entity__2d2ed9_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="placemention",
            index=models.Index(
                fields=["article", "entity", "status"], name="articles_pl_article_622cfd_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="quote",
            index=models.Index(
                fields=["speaker", "article"], name="articles_qu_speaker_230dd1_idx"
            ),
        ),
    ]
