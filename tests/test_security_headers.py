"""The Content Security Policy: strict on public pages, relaxed only as far as the admin needs."""

import pytest

from .factories import make_seed_article

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_public_pages_allow_no_inline_script_or_style_and_nothing_third_party(client):
    article = make_seed_article()
    for url in ("/", article.get_absolute_url(), "/contact/", "/search/?q=x"):
        directives = policy(client.get(url))
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        assert directives["default-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]


def test_public_pages_carry_no_inline_style_attributes(client):
    article = make_seed_article()
    for url in ("/", article.get_absolute_url(), "/contact/"):
        assert " style=" not in client.get(url).content.decode()


def test_the_article_editor_page_allows_exactly_its_import_map(client, editor):
    client.force_login(editor)
    response = client.get("/admin/articles/article/add/")
    directives = policy(response)
    hashes = [s for s in directives["script-src"] if s.startswith("'sha256-")]
    assert len(hashes) == 1
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" in directives["style-src"]
