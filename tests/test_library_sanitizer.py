"""Pictures in article bodies: the sanitiser admits local library images and nothing else."""

import pytest

from articles.fields import sanitize_html

from .factories import make_article

pytestmark = pytest.mark.django_db

GOOD = (
    '<figure><img src="/media/library/ab/abcdef-1280.jpg" alt="ميناء طنجة" width="1280" '
    'height="720" data-media-id="7"><figcaption>الميناء صباحا — تصوير: و.م.ع</figcaption></figure>'
)


def test_a_library_figure_passes_unchanged():
    assert sanitize_html(GOOD) == GOOD


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/track.png",
        "http://evil.example/media/x.png",
        "//evil.example/media/x.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "data:image/svg+xml,<svg onload=alert(1)>",
        "javascript:alert(1)",
        " javascript:alert(1)",
        "/static/admin/img/icon.svg",
        "/media/../admin/",
        "x",
    ],
)
def test_images_from_anywhere_but_the_media_library_are_dropped(src):
    figure = f'<figure><img src="{src}" alt="صورة"><figcaption>تعليق</figcaption></figure>'
    cleaned = sanitize_html(figure)
    assert "<img" not in cleaned
    assert "evil" not in cleaned and "javascript" not in cleaned and "data:" not in cleaned
    assert "تعليق" in cleaned


@pytest.mark.parametrize(
    ("attribute", "kept"),
    [
        ('onerror="alert(1)"', False),
        ('onload="alert(1)"', False),
        ('srcset="https://evil.example/x.png 2x"', False),
        ('sizes="100vw"', False),
        ('style="position:fixed"', False),
        ('class="x"', False),
        ('loading="lazy"', False),
        ('width="100%"', False),
        ('data-media-id="1 or 1=1"', False),
        ('data-file="7"', False),
        ('width="640"', True),
        ('data-media-id="12"', True),
    ],
)
def test_only_src_alt_width_height_and_the_library_id_survive(attribute, kept):
    cleaned = sanitize_html(f'<p>نص</p><img src="/media/library/a.jpg" alt="صورة" {attribute}>')
    assert '<img src="/media/library/a.jpg" alt="صورة"' in cleaned
    assert (attribute in cleaned) is kept


def test_an_attribute_cannot_break_out_of_its_quotes():
    cleaned = sanitize_html('<img src="/media/a.jpg" alt=\'"><script>alert(1)</script>\'>')
    assert "<script" not in cleaned
    assert cleaned.startswith('<img src="/media/a.jpg" alt="')


def test_hostile_images_are_cleaned_on_save_whatever_writes_the_body():
    article = make_article(
        body='<p>خبر</p><img src="https://evil.example/x.gif" onerror="alert(1)">' + GOOD
    )
    article.refresh_from_db()
    assert "evil.example" not in article.body_ar
    assert "onerror" not in article.body_ar
    assert 'data-media-id="7"' in article.body_ar
