from django.db import migrations

from newsroom import roles

ROLE_PERMS = {
    roles.EDITORS: [
        "add_legacyredirect",
        "change_legacyredirect",
        "delete_legacyredirect",
        "view_legacyredirect",
        "view_importeditem",
    ]
}


def grant(apps, schema_editor):
    roles.grant(apps, "imports", ROLE_PERMS)


def revoke(apps, schema_editor):
    roles.revoke(apps, "imports", ROLE_PERMS)


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_initial"), ("articles", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
