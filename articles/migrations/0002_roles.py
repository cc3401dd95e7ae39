from django.db import migrations

from newsroom import roles

ARTICLE_PERMS = ["add_article", "change_article", "delete_article", "view_article",
                 "add_articleauthor", "change_articleauthor", "delete_articleauthor",
                 "view_articleauthor", "view_category", "view_tag", "view_author",
                 "view_historicalarticle"]
EDITOR_PERMS = ARTICLE_PERMS + [
    "publish_article",
    "add_category", "change_category", "delete_category",
    "add_tag", "change_tag", "delete_tag",
    "add_author", "change_author", "delete_author",
]
ROLE_PERMS = {roles.JOURNALISTS: ARTICLE_PERMS, roles.EDITORS: EDITOR_PERMS}


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in roles.ROLES:
        Group.objects.get_or_create(name=name)
    roles.grant(apps, "articles", ROLE_PERMS)


def remove_perms(apps, schema_editor):
    roles.revoke(apps, "articles", ROLE_PERMS)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_perms)]
