"""`load_demo` gives a fresh site real content, and running it twice changes nothing."""

import pytest
from django.core.management import call_command

from articles.models import Article, Category

from .factories import seed_text

pytestmark = pytest.mark.django_db


def load(count: int = 12) -> None:
    call_command("load_demo", count=count, no_progress=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_has_the_six_sections_and_the_seed_as_newest_political_article():
    load()
    names = list(Category.objects.values_list("name_ar", flat=True))
    assert names == ["سياسة", "اقتصاد", "رياضة", "مجتمع", "ثقافة", "دولي"]
    newest = Article.objects.published().newest_first().first()
    title, _ = seed_text()
    assert newest.title_ar == title
    assert newest.category.name_ar == "سياسة"


def test_seed_body_has_no_platform_labels_and_keeps_the_real_spelling():
    load()
    title, _ = seed_text()
    seed = Article.objects.get(title_ar=title)
    for label in ("إرسال تعليق", "أحدث أقدم", "نموذج الاتصال"):
        assert label not in seed.body_ar
    assert "عملیة" in seed.body_ar  # Persian yeh as the journalist typed it
    assert "الأمريكية" in seed.body_ar and "الامريكي" in seed.body_ar
    assert "<p>.نقل" not in seed.body_ar  # the stray full stop of the export is mended


def test_draft_and_scheduled_demo_articles_stay_hidden():
    load()
    hidden = Article.objects.exclude(pk__in=Article.objects.published())
    assert hidden.count() == 2
    assert {a.status for a in hidden} == {Article.Status.DRAFT, Article.Status.PUBLISHED}


def test_running_it_twice_creates_nothing_twice():
    load(12)
    counts = (Article.objects.count(), Category.objects.count())
    load(12)
    assert (Article.objects.count(), Category.objects.count()) == counts


def test_count_tops_the_archive_up():
    load(5)
    load(20)
    assert Article.objects.filter(slug__startswith="demo-").count() == 20


def test_the_seed_article_shows_one_library_picture_in_its_body(client):
    from library.models import MediaImage

    load()
    load()
    title, _ = seed_text()
    seed = Article.objects.get(title_ar=title)
    picture = MediaImage.objects.get()
    assert seed.body_ar.count("<figure>") == 1
    assert f'data-media-id="{picture.pk}"' in seed.body_ar
    assert picture.alt_ar and picture.caption_ar and picture.renditions["webp"]
    page = client.get(seed.get_absolute_url()).content.decode()
    assert "<picture>" in page and 'loading="lazy"' in page
    assert "(رسم توضيحي) — أخبار المغرب</figcaption>" in page
