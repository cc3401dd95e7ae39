"""Factory functions for tests: explicit keyword arguments, sensible defaults."""

from __future__ import annotations

import io
import itertools
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticleAuthor, Author, Category, Tag, unicode_slug
from comments.forms import CommentForm
from comments.models import Comment
from contact.forms import ContactForm
from contact.models import ContactMessage, ContactSubject
from newsroom.antispam import signed_render_time
from newsroom.management.commands.load_demo import parse_seed

_seq = itertools.count(1)
SEED_FILE = Path(__file__).resolve().parent.parent / "articles" / "demo" / "seed-article.txt"


def seed_text() -> tuple[str, list[str]]:
    """Title and paragraphs of the real article from the old blog."""
    return parse_seed(SEED_FILE.read_text(encoding="utf-8"))


def make_user(*, username: str | None = None, role: str | None = None, **kwargs: Any) -> Any:
    n = next(_seq)
    user = get_user_model().objects.create_user(
        username=username or f"user{n}",
        email=kwargs.pop("email", f"user{n}@example.com"),
        password=kwargs.pop("password", "pw-for-tests"),
        is_staff=kwargs.pop("is_staff", role is not None),
        **kwargs,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_category(*, name: str | None = None, **kwargs: Any) -> Category:
    name = name or f"قسم {next(_seq)}"
    kwargs.setdefault("slug", unicode_slug(name))
    return Category.objects.create(name_ar=name, **kwargs)


def make_tag(*, name: str | None = None, **kwargs: Any) -> Tag:
    name = name or f"وسم {next(_seq)}"
    kwargs.setdefault("slug", unicode_slug(name))
    return Tag.objects.create(name_ar=name, **kwargs)


def make_author(*, name: str | None = None, **kwargs: Any) -> Author:
    name = name or f"كاتب {next(_seq)}"
    kwargs.setdefault("slug", unicode_slug(name))
    return Author.objects.create(name_ar=name, **kwargs)


def make_article(
    *,
    title: str | None = None,
    status: str = Article.Status.PUBLISHED,
    publish_at: datetime | None = None,
    category: Category | None = None,
    authors: list[Author] | tuple[Author, ...] = (),
    tags: list[Tag] | tuple[Tag, ...] = (),
    body: str = "<p>نص المقال.</p>",
    **kwargs: Any,
) -> Article:
    """A published article by default, published a minute ago."""
    title = title or f"مقال رقم {next(_seq)}"
    if publish_at is None and status == Article.Status.PUBLISHED:
        publish_at = timezone.now() - timedelta(minutes=1)
    article = Article.objects.create(
        title_ar=title,
        slug=kwargs.pop("slug", unicode_slug(title)),
        body_ar=body,
        category=category or make_category(),
        status=status,
        publish_at=publish_at,
        first_published_at=publish_at if status == Article.Status.PUBLISHED else None,
        **kwargs,
    )
    for order, author in enumerate(authors):
        ArticleAuthor.objects.create(article=article, author=author, order=order)
    if tags:
        article.tags.add(*tags)
    return article


def make_seed_article(**kwargs: Any) -> Article:
    """The real seed article from the old blog, published."""
    title, paragraphs = seed_text()
    return make_article(
        title=title,
        body="".join(f"<p>{p}</p>" for p in paragraphs),
        summary_ar=paragraphs[0][:299],
        **kwargs,
    )


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (800, 600), **save: Any) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt, **save)
    return buffer.getvalue()


def make_upload(
    name: str = "cover.jpg", content: bytes | None = None, content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else image_bytes(), content_type)


def make_page(*, title: str | None = None, **kwargs: Any) -> Any:
    """A published static page in Arabic, shown in the footer."""
    from pages.models import Page

    title = title or f"صفحة {next(_seq)}"
    kwargs.setdefault("slug_ar", unicode_slug(title))
    kwargs.setdefault("body_ar", "<p>نص الصفحة.</p>")
    kwargs.setdefault("is_published", True)
    return Page.objects.create(title_ar=title, **kwargs)


# --- comments ----------------------------------------------------------------------------------


def approved_comment(article: Article, **kwargs: Any) -> Comment:
    """A comment already shown under the article."""
    kwargs.setdefault("name", "قارئ")
    kwargs.setdefault("email", "reader@example.ma")
    kwargs.setdefault("body", "تعليق منشور")
    return Comment.objects.create(article=article, status=Comment.Status.APPROVED, **kwargs)


def pending_comments(article: Article, n: int = 1) -> list[Comment]:
    """Comments waiting in the moderation queue."""
    return [
        Comment.objects.create(article=article, name=f"قارئ {i}", email=f"r{i}@x.ma", body=f"ت {i}")
        for i in range(n)
    ]


def comment_form_data(**overrides: Any) -> dict[str, Any]:
    """A valid submission, as if the reader opened the page a minute ago."""
    data = {
        "name": "سمير",
        "email": "samir@example.ma",
        "body": "مقال مفيد، شكرا.",
        "website": "",
        "parent": "",
        "rendered": signed_render_time(CommentForm, timezone.now() - timedelta(minutes=1)),
    }
    data.update(overrides)
    return data


# --- contact -----------------------------------------------------------------------------------


def general_subject() -> ContactSubject:
    return ContactSubject.objects.get(key="general")


def contact_form_data(**overrides: Any) -> dict[str, Any]:
    """A valid submission, posted as if the reader had spent a minute writing it."""
    data = {
        "name": "فاطمة الزهراء",
        "email": "reader@example.ma",
        "subject": str(general_subject().pk),
        "message": "السلام عليكم، أود الاستفسار عن موعد نشر ملف الانتخابات.",
        "website": "",
        "rendered": signed_render_time(ContactForm, timezone.now() - timedelta(minutes=1)),
    }
    data.update(overrides)
    return data


def make_contact_message(**kwargs: Any) -> ContactMessage:
    """A message already delivered to the owners' inbox (subject by key, "general" by default)."""
    subject = ContactSubject.objects.get(key=kwargs.pop("key", "general"))
    kwargs.setdefault("name", "سلمى العلوي")
    kwargs.setdefault("email", "salma@example.ma")
    kwargs.setdefault("message", "أريد أن أقترح موضوعا عن الماء في الجنوب الشرقي.")
    kwargs.setdefault("delivered_at", timezone.now())
    return ContactMessage.objects.create(subject=subject, subject_label=subject.name, **kwargs)


# --- articles in the admin ---------------------------------------------------------------------


def article_form_data(article: Article | None = None, **overrides: Any) -> dict[str, Any]:
    """The admin's article form as posted: the article's own values, or a new draft."""
    data = {
        "title_ar": article.title_ar if article else "مقال جديد",
        "slug_ar": article.slug if article else "مقال-جديد",
        "body_ar": "<p>نص</p>",
        "category": (article.category_id if article else make_category().pk),
        "status": article.status if article else Article.Status.DRAFT,
        "comments_enabled": "on",
        "articleauthor_set-TOTAL_FORMS": "0",
        "articleauthor_set-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data
