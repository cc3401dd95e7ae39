"""Staff roles as groups, created and kept up to date by data migrations.

Each app's data migration grants its own permissions to the roles, so `articles` never needs
to know about comments or the contact inbox.
"""

from __future__ import annotations

from typing import Any

JOURNALISTS = "Journalists"
EDITORS = "Editors"
MODERATORS = "Moderators"
SITE_OWNERS = "Site owners"
ROLES = (JOURNALISTS, EDITORS, MODERATORS, SITE_OWNERS)


def ensure_permissions(apps: Any, app_label: str) -> None:
    """Create an app's permissions now: Django only makes them after all migrations ran."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps: Any, app_label: str, role_perms: dict[str, list[str]]) -> None:
    """Give each role (group name) the listed codenames of `app_label`, creating the group."""
    ensure_permissions(apps, app_label)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in role_perms.items():
        group, _created = Group.objects.get_or_create(name=role)
        perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Unknown permissions for {app_label}: {sorted(missing)}")
        group.permissions.add(*perms)


def revoke(apps: Any, app_label: str, role_perms: dict[str, list[str]]) -> None:
    """Reverse of grant(), for migrations that roll back."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in role_perms.items():
        group = Group.objects.filter(name=role).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
