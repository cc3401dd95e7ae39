from django.db import migrations

from newsroom import roles

ROLE_PERMS = {
    roles.MODERATORS: ["view_comment", "change_comment", "delete_comment", "can_moderate"],
    roles.EDITORS: ["view_comment"],
}


def grant(apps, schema_editor):
    roles.grant(apps, "comments", ROLE_PERMS)


def revoke(apps, schema_editor):
    roles.revoke(apps, "comments", ROLE_PERMS)


class Migration(migrations.Migration):
    dependencies = [("comments", "0001_initial"), ("articles", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
