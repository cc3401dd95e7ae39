"""The newsroom's content: categories, tags, authors and articles.

Translated fields (ar, fr, en) are registered in `translation.py`; Arabic is required, the
other languages are optional, and an article only appears in a language it has a title in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from newsroom import annotations
from newsroom.i18n import current_language

from .fields import RichTextField
from .images import CoverImageField, validate_image_upload
from .permissions import can_delete, can_edit, user_can_publish
from .querysets import TranslatedSlugQuerySet

# The languages an article may be translated into, each with its `has_<code>` flag.
TRANSLATION_LANGUAGES = ("fr", "en")


def unicode_slug(text: str) -> str:
    """Slug that keeps Arabic letters (plain slugify() returns "" for Arabic)."""
    return slugify(text, allow_unicode=True)[:200]


class CategoryQuerySet(TranslatedSlugQuerySet):
    def active(self) -> CategoryQuerySet:
        return self.filter(is_active=True)


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:category", kwargs={"slug": self.slug})


class TagQuerySet(TranslatedSlugQuerySet):
    pass


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True, unique=True)

    objects = TagQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:tag", kwargs={"slug": self.slug})


class Author(models.Model):
    """A public byline. Linked to a staff account, or standing alone for a guest writer.

    Bylines and author pages read only this profile, so an account's username or email never
    reaches the public site.
    """

    name = models.CharField(_("display name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, allow_unicode=True, unique=True)
    bio = models.TextField(_("short bio"), max_length=600, blank=True)
    photo = models.ImageField(
        _("photo"), upload_to="authors/", blank=True, validators=[validate_image_upload]
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:author", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        """The one home of the publishing rule: published, and its publish time has come.

        A scheduled article (published with a future time) appears on time, with no cron job.
        """
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())

    def in_language(self, language: str | None = None) -> ArticleQuerySet:
        """Only articles that have a title in `language`, so no Arabic text fills a French list."""
        language = language.split("-")[0] if language else current_language()
        if language == settings.LANGUAGE_CODE:
            return self
        # A stored, indexed flag (Article.sync_translation_flags) rather than a test on the
        # title text, which no index serves and which reads every row's title.
        return self.filter(**{f"has_{language}": True})

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by("-publish_at", "-pk")

    def newest_per_category(self, categories: list[Category], size: int) -> list[Article]:
        """The newest `size` articles of each category, in two queries whatever the archive.

        A window function (ROW_NUMBER() OVER (PARTITION BY category)) ranks every published
        article before keeping a handful. Instead, each category gets its own
        `ORDER BY publish_at DESC LIMIT size` walk down the (category, status, publish_at)
        index, all sent as one UNION ALL; a second query loads the rows for listing.
        """
        if not categories:
            return []
        parts, params = [], []
        for category in categories:
            ids = self.filter(category=category).newest_first().values_list("pk", flat=True)
            sql, part_params = ids[:size].query.sql_with_params()
            parts.append(f"SELECT * FROM ({sql}) AS block_{len(parts)}")  # noqa: S608
            params.extend(part_params)
        with connections[self.db].cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            wanted = [row[0] for row in cursor.fetchall()]
        return list(self.model.objects.filter(pk__in=wanted).for_cards().newest_first())

    def with_authors(self) -> ArticleQuerySet:
        """Authors in credit order (ArticleAuthor.order), the lead byline first.

        The one way every page, feed and admin list loads bylines: a plain
        prefetch_related("authors") would follow Author's own ordering, by name, and could
        put the lead writer second.
        """
        return self.prefetch_related(
            Prefetch(
                "authors",
                queryset=Author.objects.order_by("articleauthor__order", "articleauthor__pk"),
            )
        )

    def for_cards(self) -> ArticleQuerySet:
        """What a card on a list page shows (section, comment count; no bylines), one query.

        comment_count comes from the comments app when installed (its AppConfig registers a
        subquery), else every article shows 0.
        """
        annotated = self.annotate(**annotations.for_listing(comment_count=0))
        return annotated.select_related("category")

    def for_listing(self) -> ArticleQuerySet:
        """A card's fields plus the bylines (feeds), in a fixed number of queries."""
        return self.for_cards().with_authors()

    def editable_by(self, user: models.Model) -> ArticleQuerySet:
        """What a user may open in the admin: editors everything, journalists their own work.

        Which of those they may change is permissions.can_edit().
        """
        if user_can_publish(user):
            return self
        return self.filter(Q(created_by=user) | Q(authors__user=user)).distinct()


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    kicker = models.CharField(_("kicker"), max_length=80, blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("summary"), max_length=300, blank=True, help_text=_("Standfirst, 300 characters at most.")
    )
    body = RichTextField(_("body"), blank=True)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True, blank=True)

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="articles"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")
    authors = models.ManyToManyField(
        Author,
        verbose_name=_("authors"),
        through="ArticleAuthor",
        blank=True,
        related_name="articles",
    )
    byline = models.CharField(
        _("byline"),
        max_length=120,
        blank=True,
        help_text=_("Free text for agencies or contributors, e.g. و.م.ع"),
    )

    cover_image = CoverImageField(
        _("cover image"),
        upload_to="covers/%Y/%m/",
        blank=True,
        validators=[validate_image_upload],
        width_field="cover_width",
        height_field="cover_height",
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_renditions = models.JSONField(default=dict, blank=True, editable=False)
    cover_alt = models.CharField(_("image alt text"), max_length=250, blank=True)
    cover_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    cover_credit = models.CharField(_("image credit"), max_length=120, blank=True)

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(
        _("publish time"),
        null=True,
        blank=True,
        help_text=_("A future time schedules the article; it appears on its own."),
    )
    first_published_at = models.DateTimeField(
        _("first published"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    is_featured = models.BooleanField(_("featured"), default=False)
    is_breaking = models.BooleanField(_("breaking news"), default=False)
    comments_enabled = models.BooleanField(_("comments allowed"), default=True)

    meta_title = models.CharField(
        _("meta title"),
        max_length=70,
        blank=True,
        help_text=_("The title search engines and social networks show; the title if empty."),
    )
    meta_description = models.CharField(
        _("meta description"),
        max_length=160,
        blank=True,
        help_text=_("The description search engines show; the summary if empty."),
    )
    # Raised by one on every admin save; the form refuses a save based on an older number.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    # "Has a title in this language", one per translation language: what in_language() filters
    # on. Kept by save() and by every bulk_create path (sync_translation_flags()).
    has_fr = models.BooleanField(default=False, editable=False)
    has_en = models.BooleanField(default=False, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [("publish_article", _("Can publish and unpublish articles"))]
        indexes = [
            models.Index(fields=["status", "-publish_at"], name="article_status_pub_idx"),
            models.Index(fields=["category", "status", "-publish_at"], name="article_cat_pub_idx"),
            models.Index(fields=["is_breaking", "-publish_at"], name="article_breaking_idx"),
            models.Index(fields=["is_featured", "-publish_at"], name="article_featured_idx"),
            # The French and English lists: published, translated, newest first.
            models.Index(fields=["status", "has_fr", "-publish_at"], name="article_fr_pub_idx"),
            models.Index(fields=["status", "has_en", "-publish_at"], name="article_en_pub_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the translation flags true to the titles, whatever the caller saves."""
        flags = self.sync_translation_flags()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *flags}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "articles:detail", kwargs={"pk": self.pk, "slug": self.slug or unicode_slug(self.title)}
        )

    def sync_translation_flags(self) -> list[str]:
        """Set `has_<language>` from the titles; return the flag names (for update_fields).

        save() calls it; code that writes without save() (bulk_create) calls it first.
        """
        names = []
        for language in TRANSLATION_LANGUAGES:
            setattr(self, f"has_{language}", bool(getattr(self, f"title_{language}", "")))
            names.append(f"has_{language}")
        return names

    def clean(self) -> None:
        if not self.slug:
            self.slug = unicode_slug(self.title_ar or self.title or "")
        for language in ("fr", "en"):
            if getattr(self, f"title_{language}", "") and not getattr(self, f"slug_{language}"):
                setattr(self, f"slug_{language}", unicode_slug(getattr(self, f"title_{language}")))
        if self.cover_image and not self.cover_alt_ar:
            raise ValidationError(
                {"cover_alt_ar": _("Describe the image for readers who cannot see it.")}
            )
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()

    def is_published(self) -> bool:
        """Mirror of ArticleQuerySet.published() for templates and the admin."""
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= timezone.now()
        )

    def can_be_edited_by(self, user: models.Model) -> bool:
        """The roles of articles/permissions.py, for code holding an article."""
        return can_edit(user, self)

    def can_be_deleted_by(self, user: models.Model) -> bool:
        return can_delete(user, self)

    def mark_published(self, when: timezone.datetime | None = None) -> None:
        """Set the fields of a publication; the caller saves."""
        now = timezone.now()
        self.status = self.Status.PUBLISHED
        if when is not None or self.publish_at is None or self.publish_at > now:
            self.publish_at = when or now
        if self.first_published_at is None:
            self.first_published_at = self.publish_at

    @property
    def ordered_authors(self) -> list[Author]:
        """Credit order, from the with_authors() prefetch when there is one."""
        if "authors" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.authors.all())
        return list(self.authors.order_by("articleauthor__order", "articleauthor__pk"))


class ArticleAuthor(models.Model):
    """Orders an article's authors: the first is the lead byline."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    author = models.ForeignKey(Author, verbose_name=_("author"), on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_article_author")
        ]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return str(self.author)
