"""Deleting a comment for good is for editors; moderators hide comments (status "removed").

Moderators had `delete_comment`, so next to "hide" they were offered Django's permanent
delete, labelled almost the same in Arabic. They keep every moderation action; only the
irreversible one moves to the Editors role.
"""

from django.db import migrations

from newsroom import roles

MODERATORS_LOSE = {roles.MODERATORS: ["delete_comment"]}
EDITORS_GAIN = {roles.EDITORS: ["delete_comment"]}


def forwards(apps, schema_editor):
    roles.revoke(apps, "comments", MODERATORS_LOSE)
    roles.grant(apps, "comments", EDITORS_GAIN)


def backwards(apps, schema_editor):
    roles.revoke(apps, "comments", EDITORS_GAIN)
    roles.grant(apps, "comments", MODERATORS_LOSE)


class Migration(migrations.Migration):
    dependencies = [("comments", "0004_blockedword_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
