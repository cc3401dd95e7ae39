"""Search is an app of its own: its own namespaced URL, its own receivers, one-way imports."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db.models.signals import post_save
from django.urls import resolve, reverse
from django.utils import translation

from articles.models import Article
from search.models import SearchDocument
from search.signals import search_index_on_save

from .factories import make_article

ARTICLES = Path(__file__).resolve().parent.parent / "articles"


@pytest.mark.parametrize(
    ("language", "path"), [("ar", "/search/"), ("fr", "/fr/search/"), ("en", "/en/search/")]
)
def test_the_search_page_reverses_as_search_search_in_every_language(
    language: str, path: str
) -> None:
    with translation.override(language):
        assert reverse("search:search") == path
        assert resolve(path).view_name == "search:search"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/search/", "/fr/search/", "/en/search/"])
def test_the_header_box_sends_readers_to_the_search_page_of_their_language(
    client: Any, path: str
) -> None:
    prefix = path.removesuffix("search/")
    html = client.get(prefix).content.decode()
    assert f'action="{path}"' in html


def test_the_index_belongs_to_the_search_app_and_keeps_its_table() -> None:
    assert apps.get_containing_app_config("search.models").label == "search"
    assert SearchDocument._meta.app_label == "search"
    assert SearchDocument._meta.db_table == "articles_searchdocument"
    with pytest.raises(LookupError):
        apps.get_model("articles", "SearchDocument")


@pytest.mark.django_db
def test_saves_are_indexed_by_the_receiver_the_search_app_connects() -> None:
    uid = "article-search-index"
    assert post_save.disconnect(sender=Article, dispatch_uid=uid)
    try:
        unindexed = make_article(title="خبر لا يفهرس")
        assert not SearchDocument.objects.filter(article=unindexed).exists()
    finally:
        post_save.connect(search_index_on_save, sender=Article, dispatch_uid=uid)
    indexed = make_article(title="خبر يفهرس")
    assert SearchDocument.objects.filter(article=indexed, language="ar").exists()


@pytest.mark.django_db
def test_a_saved_article_is_indexed_and_a_deleted_one_leaves_the_index() -> None:
    article = make_article(title="ميناء طنجة المتوسط", title_fr="Le port de Tanger", slug_fr="port")
    rows = SearchDocument.objects.filter(article=article)
    assert set(rows.values_list("language", flat=True)) == {"ar", "fr"}
    article.title_fr = ""
    article.save()
    assert set(rows.values_list("language", flat=True)) == {"ar"}
    article.delete()
    assert not SearchDocument.objects.exists()


def _imported_modules(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "__import__"
            or isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
        ):
            names += [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
    return [name for name in names if isinstance(name, str)]


def test_articles_never_imports_search() -> None:
    sources = sorted(ARTICLES.rglob("*.py"))
    assert len(sources) > 10
    offenders = {
        str(source.relative_to(ARTICLES)): name
        for source in sources
        for name in _imported_modules(ast.parse(source.read_text(encoding="utf-8")))
        if name == "search" or name.startswith("search.")
    }
    assert offenders == {}
