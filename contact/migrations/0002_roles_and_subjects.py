from django.db import migrations

from newsroom import roles

ROLE_PERMS = {
    roles.SITE_OWNERS: [
        "view_contactmessage", "change_contactmessage", "delete_contactmessage",
        "view_contactsubject", "add_contactsubject", "change_contactsubject",
        "delete_contactsubject",
    ],
}

# key, order, Arabic, French, English
SUBJECTS = [
    ("general", 10, "استفسار عام", "Question générale", "General enquiry"),
    ("news-tip", 20, "معلومة صحفية", "Information pour la rédaction", "News tip"),
    ("correction", 30, "طلب تصحيح", "Demande de correction", "Correction request"),
    ("advertising", 40, "الإشهار", "Publicité", "Advertising"),
]


def forwards(apps, schema_editor):
    roles.grant(apps, "contact", ROLE_PERMS)
    ContactSubject = apps.get_model("contact", "ContactSubject")
    for key, order, ar, fr, en in SUBJECTS:
        ContactSubject.objects.get_or_create(
            key=key,
            defaults={"order": order, "name": ar, "name_ar": ar, "name_fr": fr, "name_en": en},
        )


def backwards(apps, schema_editor):
    roles.revoke(apps, "contact", ROLE_PERMS)
    apps.get_model("contact", "ContactSubject").objects.filter(
        key__in=[key for key, *_rest in SUBJECTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("contact", "0001_initial"), ("articles", "0002_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
