"""The Arabic admin says what happened, in the newsroom's own words."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from .factories import make_tag

pytestmark = pytest.mark.django_db


def _save_tag(client, editor, **extra):
    tag = make_tag(name="اقتصاد")
    client.force_login(editor)
    data = {"name_ar": "الاقتصاد", "slug_ar": tag.slug, **extra}
    return client.post(reverse("admin:articles_tag_change", args=[tag.pk]), data, follow=True)


def test_saving_a_change_says_changed_not_added(client, editor):
    html = _save_tag(client, editor).content.decode()
    assert "تم تعديل" in html
    assert "الاقتصاد" in html
    assert "نجحت إضافة" not in html


def test_save_and_continue_says_changed_and_you_may_edit_again(client, editor):
    html = _save_tag(client, editor, _continue="1").content.decode()
    assert "تم تعديل" in html and "يمكنك تعديله مجدداً أدناه" in html
    assert "إضافة" not in html.split('class="messagelist"')[1].split("</ul>")[0]


def _admin_js_catalog(client, editor) -> str:
    """The admin's JavaScript catalogue as text (Django escapes non-ASCII as \\uXXXX)."""
    client.force_login(editor)
    response = client.get(reverse("admin:jsi18n"))
    assert response.status_code == 200
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), response.content.decode())


def test_admin_date_picker_uses_moroccan_month_names(client, editor):
    script = _admin_js_catalog(client, editor)
    for moroccan in ("دجنبر", "غشت", "شتنبر", "يوليوز", "نونبر", "ماي"):
        assert f'"{moroccan}"' in script
    for mashriq in ("ديسمبر", "أغسطس", "سبتمبر", "يوليو", "نوفمبر", "مايو"):
        assert f'"{mashriq}"' not in script


def test_admin_date_picker_abbreviations_are_moroccan_too(client, editor):
    script = _admin_js_catalog(client, editor)
    assert '"abbrev. month December\x04Dec": "دجنبر"' in script
    assert '"abbrev. month August\x04Aug": "غشت"' in script
