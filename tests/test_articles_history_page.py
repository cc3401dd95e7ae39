"""An article's History page reads like a log: labels, not stored values; each change once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from articles.models import Article

from .factories import article_form_data as form_data
from .helpers import run_article_action as run_action

pytestmark = pytest.mark.django_db


def _article_with_a_history(client, editor) -> Article:
    client.force_login(editor)
    client.post(
        reverse("admin:articles_article_add"),
        form_data(title_ar="العنوان الأول", body_ar="<p>نص <strong>أول</strong></p>"),
    )
    article = Article.objects.get()
    client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        form_data(
            article,
            title_ar="العنوان الثاني",
            title_fr="Le deuxième titre",
            body_ar="<p>نص جديد</p>",
        ),
    )
    run_action(client, "submit_for_review", article)
    run_action(client, "publish_now", article)
    article.refresh_from_db()
    return article


def _history_list(client, article: Article) -> str:
    html = client.get(reverse("admin:articles_article_history", args=[article.pk])).content
    return html.decode().split('id="change-history"')[1].split("</table>")[0]


def _changes(html: str) -> list[str]:
    return re.findall(r"<strong>([^<]+):</strong>", html)


def test_history_header_is_arabic(client, editor):
    html = _history_list(client, _article_with_a_history(client, editor))
    assert '<th scope="col">التغييرات</th>' in html
    assert "Changes" not in html and "CHANGES" not in html


def test_history_shows_status_labels_and_readable_reasons(client, editor):
    html = _history_list(client, _article_with_a_history(client, editor))
    assert not re.search(r">\s*(published|draft|review)\s*<", html)
    assert "<td>منشور</td>" in html
    assert "أُرسل للمراجعة" in html
    assert "submitted for review" not in html


def test_history_shows_a_dash_for_nothing_never_none(client, editor):
    html = _history_list(client, _article_with_a_history(client, editor))
    assert "None" not in html
    assert '<span dir="auto">—</span>' in html  # publish time before the publication


def test_history_shows_body_changes_as_text_without_tags(client, editor):
    html = _history_list(client, _article_with_a_history(client, editor))
    assert "&lt;p&gt;" not in html and "&lt;strong&gt;" not in html
    assert '<span dir="auto">نص أول</span>' in html
    assert '<span dir="auto">نص جديد</span>' in html


def test_history_lists_each_change_once_labelled_by_language(client, editor):
    html = _history_list(client, _article_with_a_history(client, editor))
    for row in html.split("<tr>")[1:]:
        assert len(_changes(row)) == len(set(_changes(row))), row
    changes = _changes(html)
    assert changes.count("العنوان (العربية)") == 1
    assert changes.count("العنوان (الفرنسية)") == 1
    assert changes.count("نص المقال (العربية)") == 1
    assert "العنوان" not in changes  # the untranslated mirror of the Arabic title
    assert not any("[ar]" in change for change in changes)


def test_an_old_version_page_reads_in_arabic_without_raw_values(client, editor):
    article = _article_with_a_history(client, editor)
    first = article.history.earliest("history_date")
    url = reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id])
    html = client.get(url).content.decode()
    assert "العنوان الأول" in html
    assert '<option value="draft" selected>مسودة</option>' in html
    assert ">None<" not in html


def test_a_save_that_changes_nothing_visible_lists_no_change(client, editor):
    """NULL translations saved as "" and microseconds dropped by the form are not news."""
    from django.utils import timezone

    from .factories import make_article

    article = make_article(
        summary_fr=None,
        summary_en=None,
        status=Article.Status.PUBLISHED,
        publish_at=timezone.now().replace(microsecond=123456) - timezone.timedelta(hours=1),
    )
    client.force_login(editor)
    client.post(reverse("admin:articles_article_change", args=[article.pk]), form_data(article))
    html = _history_list(client, article)
    assert '<span dir="auto">—</span> &larr; <span dir="auto">—</span>' not in html
    newest = _changes(html.split("<tr>")[2])
    assert "الملخص (الفرنسية)" not in newest and "الملخص (الإنجليزية)" not in newest


def test_a_long_body_change_shows_the_changed_sentence_not_the_whole_text(client, editor):
    before = " ".join(f"كلمة{n}" for n in range(400))
    after = before.replace("كلمة200 ", "جملة جديدة هنا ")
    client.force_login(editor)
    client.post(reverse("admin:articles_article_add"), form_data(body_ar=f"<p>{before}</p>"))
    article = Article.objects.get()
    client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        form_data(article, body_ar=f"<p>{after}</p>"),
    )
    html = _history_list(client, article)
    assert "جملة جديدة هنا" in html
    assert "chars]" not in html
    assert "كلمة10 " not in html  # far from the change: left out
    assert "… كلمة194" in html  # a few words of context before it
