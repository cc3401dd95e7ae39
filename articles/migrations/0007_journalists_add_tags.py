from django.db import migrations

from newsroom import roles

ROLE_PERMS = {roles.JOURNALISTS: ["add_tag"]}


def grant(apps, schema_editor):
    roles.grant(apps, "articles", ROLE_PERMS)


def revoke(apps, schema_editor):
    roles.revoke(apps, "articles", ROLE_PERMS)


class Migration(migrations.Migration):
    """Journalists tag their own articles and may create a tag that does not exist yet."""

    dependencies = [("articles", "0006_article_version_seo")]

    operations = [migrations.RunPython(grant, revoke)]
