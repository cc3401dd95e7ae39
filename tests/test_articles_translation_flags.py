"""French and English lists read a stored "has a title in this language" flag, kept on every
write path: a save, a partial save, the demo's bulk load, an import, and the migration that
filled it for existing articles."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from articles.models import Article

from .factories import make_article

pytestmark = pytest.mark.django_db


def test_a_french_title_sets_the_french_flag_only():
    article = make_article(title_fr="Un titre")
    article.refresh_from_db()
    assert article.has_fr is True
    assert article.has_en is False


def test_clearing_the_french_title_clears_the_flag():
    article = make_article(title_fr="Un titre", title_en="A title")
    article.title_fr = ""
    article.save()
    article.refresh_from_db()
    assert (article.has_fr, article.has_en) == (False, True)


def test_a_save_of_some_fields_still_keeps_the_flag_true():
    article = make_article()
    article.title_en = "A title"
    article.save(update_fields=["title_en"])
    article.refresh_from_db()
    assert article.has_en is True


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_translated_list_filters_on_the_flag_not_the_title(client, language):
    translated = make_article(**{f"title_{language}": "Translated", f"slug_{language}": "t"})
    make_article(title="غير مترجم")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/{language}/")
    listing = [q["sql"] for q in queries.captured_queries if "articles_article" in q["sql"]]
    assert listing
    assert not any(f'"title_{language}"' in sql.split("FROM", 1)[-1] for sql in listing)
    assert any(f'"has_{language}"' in sql for sql in listing)
    assert "Translated" in response.content.decode()
    assert "غير مترجم" not in response.content.decode()
    assert list(Article.objects.published().in_language(language)) == [translated]


def test_demo_articles_carry_their_flags():
    call_command("load_demo", count=9, no_progress=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    translated = Article.objects.exclude(title_fr="").exclude(title_fr=None)
    assert translated.exists()
    assert set(translated.values_list("has_fr", "has_en").distinct()) == {(True, True)}
    others = Article.objects.exclude(pk__in=translated)
    assert not others.filter(has_fr=True).exists()


def test_imported_articles_carry_flags_true_to_their_titles():
    from imports.importer import Importer

    from .imports_fixtures import FakeExport, arabic_blog

    Importer(export=FakeExport(arabic_blog())).run()
    imported = Article.objects.all()
    assert imported.exists()
    for article in imported:
        assert article.has_fr == bool(article.title_fr)
        assert article.has_en == bool(article.title_en)


@pytest.mark.django_db(transaction=True)
def test_the_migration_flags_articles_translated_before_it():
    before = [("articles", "0008_searchdocument_moves_to_search")]
    after = [("articles", "0009_translation_flags")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    category = old.get_model("articles", "Category").objects.create(
        name_ar="قسم", slug="qism", slug_ar="qism"
    )
    OldArticle = old.get_model("articles", "Article")  # noqa: N806
    common = {"category_id": category.pk, "status": "published", "body_ar": ""}
    french = OldArticle.objects.create(title_ar="أ", title_fr="Titre", slug="a", **common)
    arabic = OldArticle.objects.create(title_ar="ب", title_fr="", slug="b", **common)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    flags = dict(Article.objects.values_list("pk", "has_fr"))
    assert flags == {french.pk: True, arabic.pk: False}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
