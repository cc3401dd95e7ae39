from django.db import migrations

from newsroom import roles

ROLE_PERMS = {roles.EDITORS: ["add_page", "change_page", "delete_page", "view_page"]}


def grant(apps, schema_editor):
    roles.grant(apps, "pages", ROLE_PERMS)


def revoke(apps, schema_editor):
    roles.revoke(apps, "pages", ROLE_PERMS)


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial"), ("articles", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]
