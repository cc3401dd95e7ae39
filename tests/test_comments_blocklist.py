"""The moderators' blocklist catches a blocked word however a commenter types it.

The blocklist folds text with the same Arabic normaliser as search (hamza seats, alef maqsura
and Persian yeh, ta marbuta, tashkeel, tatweel, invisible characters, و/ف glued to ال), but
keeps every word: stop words are not dropped, so multi-word entries still match, and a match is
a substring of the folded text, so a prefix (والإعلان) or a suffix (إعلانات) still counts.
"""

from __future__ import annotations

import pytest

from comments.models import BlockedWord, Comment

from .factories import approved_comment, make_article
from .helpers import post_comment

pytestmark = pytest.mark.django_db

TRUSTED = "trusted@example.ma"


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    settings.COMMENTS_RATE_LIMITS = [(100, 15)]


def posted_by_a_trusted_reader(client, body: str, **fields) -> Comment:
    """Post as a reader whose comments are otherwise published at once, and return the comment."""
    article = make_article()
    approved_comment(article, email=TRUSTED)
    response = post_comment(client, article, email=TRUSTED, body=body, **fields)
    assert response.status_code == 302
    return Comment.objects.latest("pk")


@pytest.mark.parametrize(
    "body",
    [
        "إعلان مجاني هنا",  # as blocked
        "اعلان مجاني هنا",  # no hamza
        "إعــــلان مجاني",  # tatweel
        "إعلَان مجاني",  # tashkeel
        "إعْلاَنٌ مجاني",  # more tashkeel
        "أعلان مجاني",  # the wrong hamza seat
        "إع\u200bلان مجاني",  # a zero-width space inside the word
        "والإعلان مجاني",  # و + ال prefix
        "والاعلان مجاني",  # and without hamza
        "فالإعلان مجاني",
        "إعلانات مجانية",  # a suffix
    ],
)
def test_a_blocked_arabic_word_is_held_however_it_is_spelled(client, body):
    BlockedWord.objects.create(word="إعلان")
    comment = posted_by_a_trusted_reader(client, body)
    assert comment.status == Comment.Status.PENDING
    assert "blocked: إعلان" in comment.moderation_reasons


@pytest.mark.parametrize(
    ("blocked", "body"),
    [
        ("فياغرا", "اشتر فیاغرا"),  # Persian yeh
        ("فیاغرا", "اشتر فياغرا"),  # blocked with a Persian yeh, typed with an Arabic one
        ("دعاية", "دعايه رخيصة"),  # ta marbuta / heh
        ("دعايه", "دعاية رخيصة"),
        ("مستشفى", "مستشفي الشفاء"),  # alef maqsura / yeh
        ("كازينو", "کازینو اونلاین"),  # Persian keheh and yeh
        ("0612345678", "اتصل ٠٦١٢٣٤٥٦٧٨"),  # Arabic-Indic digits
    ],
)
def test_farsi_letters_ta_marbuta_and_digits_fold_like_search(client, blocked, body):
    BlockedWord.objects.create(word=blocked)
    assert posted_by_a_trusted_reader(client, body).status == Comment.Status.PENDING


@pytest.mark.parametrize(
    ("blocked", "body"),
    [
        ("ربح المال", "طريقة ربح المال بسرعة"),
        ("ربح المال", "طريقة ربح   المـال بسرعة"),  # extra spaces and tatweel
        ("في البيت", "اعمل من في البيت"),  # a phrase made of a stop word and ال
        ("والإعلان المجاني", "هنا والاعلان المجاني"),  # a phrase starting with و + ال
        ("الإعلان المجاني", "هنا والاعلان المجانى"),
    ],
)
def test_a_blocked_phrase_matches_across_its_words(client, blocked, body):
    BlockedWord.objects.create(word=blocked)
    assert posted_by_a_trusted_reader(client, body).status == Comment.Status.PENDING


def test_a_blocked_word_in_the_name_is_folded_too(client):
    BlockedWord.objects.create(word="إعلان")
    comment = posted_by_a_trusted_reader(client, "تعليق عادي", name="اعلانات")
    assert comment.status == Comment.Status.PENDING


@pytest.mark.parametrize("body", ["مقال مفيد، شكرا.", "أعلن الوزير عن القرار"])
def test_a_comment_without_the_blocked_word_is_published(client, body):
    BlockedWord.objects.create(word="إعلان")
    assert posted_by_a_trusted_reader(client, body).status == Comment.Status.APPROVED


def test_a_phrase_split_between_name_and_comment_does_not_match(client):
    BlockedWord.objects.create(word="best casino")
    comment = posted_by_a_trusted_reader(client, "casino night was fun", name="The best")
    assert comment.status == Comment.Status.APPROVED


def test_an_entry_that_folds_to_nothing_does_not_hold_every_comment(client):
    BlockedWord.objects.create(word="ـــ")  # only tatweel
    BlockedWord.objects.create(word="\u064e")  # only a fatha
    assert posted_by_a_trusted_reader(client, "مقال مفيد").status == Comment.Status.APPROVED
