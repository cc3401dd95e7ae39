from django.db import migrations

from newsroom import roles

ROLE_PERMS = {
    roles.MODERATORS: [
        "view_blockedword",
        "add_blockedword",
        "change_blockedword",
        "delete_blockedword",
    ],
}


def grant(apps, schema_editor):
    roles.grant(apps, "comments", ROLE_PERMS)


def revoke(apps, schema_editor):
    roles.revoke(apps, "comments", ROLE_PERMS)


class Migration(migrations.Migration):
    dependencies = [("comments", "0003_spam_defences")]

    operations = [migrations.RunPython(grant, revoke)]
