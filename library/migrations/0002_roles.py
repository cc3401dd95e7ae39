from django.db import migrations

from newsroom import roles

LIBRARY_PERMS = ["add_mediaimage", "view_mediaimage"]
ROLE_PERMS = {roles.JOURNALISTS: LIBRARY_PERMS, roles.EDITORS: [*LIBRARY_PERMS, "change_mediaimage"]}


def grant(apps, schema_editor):
    roles.grant(apps, "library", ROLE_PERMS)


def revoke(apps, schema_editor):
    roles.revoke(apps, "library", ROLE_PERMS)


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_media_image"),
        ("articles", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
