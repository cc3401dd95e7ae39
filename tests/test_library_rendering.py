"""Body pictures and embeds on the public article page."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from library.services import image_add

from .factories import image_bytes, make_article
from .html_checks import vnu_errors

pytestmark = pytest.mark.django_db


def figure(image, caption="الميناء صباحا — و.م.ع"):
    return (
        f'<figure><img src="/media/{image.renditions["jpeg"][-1][2]}" alt="{image.alt_ar}" '
        f'width="1280" height="960" data-media-id="{image.pk}"><figcaption>{caption}'
        "</figcaption></figure>"
    )


@pytest.fixture
def picture():
    return image_add(
        data=image_bytes(size=(1600, 1200)), filename="port.jpg", alt="ميناء طنجة", caption="ميناء"
    )


def test_a_body_picture_is_served_responsive_with_size_and_lazy_loading(client, picture):
    article = make_article(body=f"<p>فقرة أولى.</p>{figure(picture)}<p>فقرة ثانية.</p>")
    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('class="article__body"', 1)[1]
    match = re.search(r"<figure><picture><source [^>]*><img [^>]*></picture><figcaption>", body)
    assert match, body[:800]
    img = re.search(r"<picture>.*?<img ([^>]*)>", body).group(1)
    assert 'alt="ميناء طنجة"' in img
    assert 'width="1280" height="960"' in img
    assert 'loading="lazy"' in img and 'decoding="async"' in img
    assert "320w" in img and "1280w" in img and "sizes=" in img
    source = re.search(r"<source ([^>]*)>", body).group(1)
    assert 'type="image/webp"' in source and ".webp 640w" in source
    assert "<figcaption>الميناء صباحا — و.م.ع</figcaption>" in body


def test_a_picture_deleted_from_the_library_still_shows_its_stored_image(client, picture):
    article = make_article(body=figure(picture))
    src = f"/media/{picture.renditions['jpeg'][-1][2]}"
    picture.delete()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<img src="{src}" alt="ميناء طنجة" width="1280" height="960" loading="lazy"' in html


def test_many_body_pictures_cost_one_query(client, picture):
    other = image_add(data=image_bytes(size=(700, 500)), filename="b.png", alt="ب", caption="ب")
    plain = make_article(body="<p>بلا صور.</p>")
    cache.clear()  # compare cold renders: the footer's links are cached after one
    with CaptureQueriesContext(connection) as without:
        client.get(plain.get_absolute_url())
    illustrated = make_article(body=figure(picture) + figure(other) + figure(picture))
    cache.clear()  # compare cold renders: the footer's links are cached after one
    with CaptureQueriesContext(connection) as with_pictures:
        response = client.get(illustrated.get_absolute_url())
    assert response.content.decode().count("<picture>") == 3
    assert len(with_pictures.captured_queries) == len(without.captured_queries) + 1


EMBEDS = [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "Watch on YouTube", "شاهد على يوتيوب"),
    ("https://youtu.be/dQw4w9WgXcQ", "Watch on YouTube", "شاهد على يوتيوب"),
    ("https://x.com/MAPNews/status/1790000000000000000", "View on X", "اطّلع عليه في X"),
    ("https://twitter.com/MAPNews/status/17900", "View on X", "اطّلع عليه في X"),
    ("https://www.facebook.com/MAPNews/posts/123", "View on Facebook", "اطّلع عليه في فيسبوك"),
]


@pytest.mark.parametrize(("url", "_english", "arabic"), EMBEDS)
@pytest.mark.parametrize("linked", [False, True])
def test_a_lone_social_link_becomes_a_card_with_no_third_party_request(
    client, url, _english, arabic, linked
):
    paragraph = f'<p><a href="{url}">{url}</a></p>' if linked else f"<p>{url}</p>"
    article = make_article(body=f"<p>قبل.</p>{paragraph}<p>بعد.</p>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'class="embed__link"' in html
    assert arabic in html
    assert "<iframe" not in html
    # Nothing the browser would fetch on its own points outside the site.
    for attribute in re.findall(r'\s(?:src|srcset|poster|data)="([^"]*)"', html):
        assert not re.match(r"(https?:)?//", attribute), attribute
    assert "https://www.youtube-nocookie.com" not in html


def test_a_youtube_card_carries_the_video_id_for_the_click_to_load_player(client):
    article = make_article(body="<p>https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=42</p>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'data-embed-youtube="dQw4w9WgXcQ"' in html
    assert "/static/js/embeds.js" in html


@pytest.mark.parametrize(
    "body",
    [
        "<p>شاهدوا https://www.youtube.com/watch?v=dQw4w9WgXcQ اليوم</p>",
        "<p>https://www.youtube.com/watch?v=short</p>",
        "<p>https://evil.example/watch?v=dQw4w9WgXcQ</p>",
        "<p>https://x.com/MAPNews</p>",
    ],
)
def test_links_inside_sentences_or_to_other_pages_stay_links(client, body):
    article = make_article(body=body)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "embed__link" not in html


def test_only_youtube_nocookie_may_be_framed(client):
    article = make_article()
    policy = client.get(article.get_absolute_url())["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["frame-src"] == ["https://www.youtube-nocookie.com"]
    assert directives["script-src"] == ["'self'"]


def test_an_article_with_pictures_and_embeds_is_valid_html(client, tmp_path, picture):
    article = make_article(
        body=(
            f"<p>فقرة.</p>{figure(picture)}<p>https://youtu.be/dQw4w9WgXcQ</p>"
            '<p><a href="https://x.com/a/status/1">https://x.com/a/status/1</a></p>'
            "<p>https://www.facebook.com/a/posts/1</p>"
        )
    )
    path = tmp_path / "article.html"
    path.write_bytes(client.get(article.get_absolute_url()).content)
    assert vnu_errors(path) == []


def test_pages_without_a_video_card_load_no_script(client, picture):
    article = make_article(body=figure(picture) + "<p>https://x.com/a/status/1</p>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "embed__link" in html
    # No video script; only the comment form's (its tokens, see the page cache) and the
    # most-read beacon.
    assert re.findall(r'<script src="([^"]+)"', html) == [
        "/static/js/comment-form.js",
        "/static/js/mostread.js",
    ]


def test_feeds_carry_body_pictures_with_absolute_urls(client, picture):
    import feedparser

    make_article(body=f"<p>نص.</p>{figure(picture)}")
    feed = feedparser.parse(client.get("/feeds/rss/").content)
    content = feed.entries[0].content[0].value
    assert f'src="http://testserver/media/{picture.renditions["jpeg"][-1][2]}"' in content


def test_a_local_picture_outside_the_library_is_lazy_too_and_costs_no_query(client):
    plain = make_article(body="<p>نص.</p>")
    cache.clear()  # compare cold renders: the footer's links are cached after one
    with CaptureQueriesContext(connection) as without:
        client.get(plain.get_absolute_url())
    article = make_article(body='<p>نص.</p><img src="/media/old/photo.jpg" alt="قديمة">')
    cache.clear()  # compare cold renders: the footer's links are cached after one
    with CaptureQueriesContext(connection) as with_img:
        html = client.get(article.get_absolute_url()).content.decode()
    assert '<img src="/media/old/photo.jpg" alt="قديمة" loading="lazy" decoding="async">' in html
    assert len(with_img.captured_queries) == len(without.captured_queries)
