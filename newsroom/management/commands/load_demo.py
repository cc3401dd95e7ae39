"""Demo content: the real seed article, six sections, generated archive, demo staff accounts.

Idempotent: running it again creates nothing twice. `--count N` tops the generated archive up
to N articles with bulk inserts, fast enough for benchmark-sized archives.
"""

from __future__ import annotations

import io
import math
import random
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw
from tqdm import tqdm

from articles.models import Article, ArticleAuthor, Author, Category, Tag, unicode_slug
from newsroom import roles
from pages.models import Page

SEED_FILE = Path(__file__).resolve().parents[3] / "articles" / "demo" / "seed-article.txt"
# The old blog platform's widget labels at the end of the export; they are not article text.
PLATFORM_LABELS = {"إرسال تعليق", "أحدث أقدم", "نموذج الاتصال"}
SENTENCE_END = (".", "!", "؟", "?", ":", "؛")

CATEGORIES = [
    ("سياسة", "politique", "Politique", "Politics"),
    ("اقتصاد", "economie", "Économie", "Economy"),
    ("رياضة", "sport", "Sport", "Sport"),
    ("مجتمع", "societe", "Société", "Society"),
    ("ثقافة", "culture", "Culture", "Culture"),
    ("دولي", "international", "International", "World"),
]
DEMO_PASSWORD = "newsroom-demo-2026"  # noqa: S105 - demo accounts exist only with DEBUG on
DEMO_USERS = [
    ("editor", roles.EDITORS, "هيئة التحرير"),
    ("journalist", roles.JOURNALISTS, "سلمى بناني"),
    ("moderator", roles.MODERATORS, None),
    ("owner", roles.SITE_OWNERS, None),
]
GENERATED_PREFIX = "demo-"

SUBJECTS = [
    "الحكومة",
    "البرلمان",
    "الرباط",
    "الدار البيضاء",
    "مراكش",
    "طنجة",
    "المنتخب الوطني",
    "بنك المغرب",
    "الفلاحة",
    "السياحة",
    "الجامعة",
    "وزارة الصحة",
    "الميناء",
    "القطار",
]
VERBS = ["تعلن", "تناقش", "تطلق", "تستقبل", "تدشن", "تحتضن", "تراجع", "تدعم"]
OBJECTS = [
    "مشروعا جديدا",
    "خطة للتنمية",
    "ندوة دولية",
    "برنامجا للشباب",
    "إصلاحات واسعة",
    "مهرجانا ثقافيا",
    "اتفاقية تعاون",
    "حملة وطنية",
]


def parse_seed(text: str) -> tuple[str, list[str]]:
    """Title and body paragraphs of the exported blog post.

    The export breaks lines mid-sentence and left one sentence's full stop at its start (an
    RTL copy artefact); lines are joined until a sentence ends, and the stray stop is moved.
    """
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and line not in PLATFORM_LABELS]
    title, rest = lines[0].rstrip(".").rstrip("…").strip(), lines[1:]
    paragraphs: list[str] = []
    current = ""
    for line in rest:
        if line.startswith(".") and not line.startswith(".."):
            line = line[1:].strip() + "."
        current = f"{current} {line}".strip() if current else line
        if current.endswith(SENTENCE_END):
            paragraphs.append(re.sub(r"\s+", " ", current))
            current = ""
    if current:
        paragraphs.append(re.sub(r"\s+", " ", current))
    return title, paragraphs


def demo_picture_bytes(width: int = 1600, height: int = 900) -> bytes:
    """An illustration for the seed article: two flags over a meeting table, drawn with Pillow."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):  # a soft sky, lighter towards the table
        shade = 150 + y * 80 // height
        draw.line([(0, y), (width, y)], fill=(shade - 60, shade - 20, shade + 20))
    draw.rectangle([0, height * 7 // 10, width, height], fill=(92, 58, 36))  # the table
    draw.rectangle([0, height * 7 // 10, width, height * 7 // 10 + 18], fill=(130, 88, 56))
    for pole_x, flag in ((width * 3 // 10, "ma"), (width * 7 // 10, "us")):
        draw.rectangle([pole_x - 6, height // 5, pole_x + 6, height * 7 // 10], fill=(70, 70, 70))
        left, top, w, h = pole_x + 6, height // 5, 330, 220
        if flag == "ma":
            draw.rectangle([left, top, left + w, top + h], fill=(193, 39, 45))
            cx, cy, r = left + w // 2, top + h // 2, 70
            points = [
                (
                    cx + r * math.cos(math.radians(90 + 144 * k)),
                    cy - r * math.sin(math.radians(90 + 144 * k)),
                )
                for k in range(6)
            ]
            draw.line(points, fill=(0, 98, 51), width=14, joint="curve")
        else:
            stripe = h / 13
            for k in range(13):
                colour = (178, 34, 52) if k % 2 == 0 else (255, 255, 255)
                draw.rectangle(
                    [left, top + k * stripe, left + w, top + (k + 1) * stripe], fill=colour
                )
            draw.rectangle([left, top, left + w * 2 // 5, top + stripe * 7], fill=(60, 59, 110))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def seed_summary(paragraphs: list[str], limit: int = 300) -> str:
    first = paragraphs[0] if paragraphs else ""
    if len(first) <= limit:
        return first
    cut = first[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip("،, ") + "…"


DEMO_PAGES = [
    (
        "من نحن",
        "<p>موقع إخباري مغربي مستقل يتابع أخبار المغرب والعالم لحظة بلحظة.</p>",
        "À propos",
        "a-propos",
        "<p>Un site d'information marocain indépendant, au fil de l'actualité.</p>",
    ),
    (
        "سياسة الخصوصية",
        "<p>لا نجمع من بياناتكم إلا ما يلزم للرد على رسائلكم ونشر تعليقاتكم.</p>",
        "Politique de confidentialité",
        "confidentialite",
        "<p>Nous ne gardons que ce qu'il faut pour répondre à vos messages et publier vos "
        "commentaires.</p>",
    ),
    (
        "شروط الاستخدام",
        "<p>يمكن الاقتباس من مقالاتنا مع ذكر المصدر ورابط المقال.</p>",
        "Conditions d'utilisation",
        "conditions-utilisation",
        "<p>Vous pouvez citer nos articles en indiquant la source et le lien.</p>",
    ),
]


class Command(BaseCommand):
    help = "Load demo content (idempotent): sections, the seed article, generated articles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--count", type=int, default=60, help="generated published articles to have"
        )
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(
        self, *args: Any, count: int = 60, no_progress: bool = False, **options: Any
    ) -> None:
        with transaction.atomic():
            categories = self.make_categories()
            authors = self.make_staff()
            self.make_seed(categories[0], authors)
            self.make_hidden(categories)
            self.make_pages()
        self.make_generated(categories, authors, count, progress=not no_progress)
        total = Article.objects.published().count()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready: {total} published articles."))
        if settings.DEBUG:
            self.stdout.write(
                f"Editor login for the demo: /admin/  user: editor  password: {DEMO_PASSWORD}\n"
                f"(also journalist, moderator, owner with the same password)"
            )

    def make_categories(self) -> list[Category]:
        categories = []
        for order, (name_ar, slug, name_fr, name_en) in enumerate(CATEGORIES):
            category, _ = Category.objects.get_or_create(
                slug=unicode_slug(name_ar),
                defaults={
                    "name_ar": name_ar,
                    "name_fr": name_fr,
                    "name_en": name_en,
                    "slug_fr": slug,
                    "slug_en": slug,
                    "order": order,
                },
            )
            categories.append(category)
        for name in ("المغرب", "الولايات المتحدة", "دبلوماسية", "الأمن"):
            Tag.objects.get_or_create(slug=unicode_slug(name), defaults={"name_ar": name})
        return categories

    def make_staff(self) -> list[Author]:
        authors = []
        user_model = get_user_model()
        for username, role, author_name in DEMO_USERS:
            if not settings.DEBUG:
                break
            user, created = user_model.objects.get_or_create(
                username=username, defaults={"is_staff": True, "email": f"{username}@localhost"}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=role))
            if author_name:
                author, _ = Author.objects.get_or_create(
                    slug=unicode_slug(author_name), defaults={"name_ar": author_name, "user": user}
                )
                authors.append(author)
        if not authors:
            author, _ = Author.objects.get_or_create(
                slug=unicode_slug("هيئة التحرير"), defaults={"name_ar": "هيئة التحرير"}
            )
            authors.append(author)
        return authors

    def make_seed(self, category: Category, authors: list[Author]) -> Article:
        title, paragraphs = parse_seed(SEED_FILE.read_text(encoding="utf-8"))
        now = timezone.now()
        article = Article.objects.filter(slug=unicode_slug(title)).first()
        if article is None:
            article = Article(
                title_ar=title,
                slug=unicode_slug(title),
                summary_ar=seed_summary(paragraphs),
                body_ar="".join(f"<p>{p}</p>" for p in paragraphs),
                kicker_ar="دبلوماسية",
                category=category,
                status=Article.Status.PUBLISHED,
                byline="و.م.ع",
                is_featured=True,
            )
        # Always the newest published article of the demo, however old the database is.
        article.mark_published(now - timedelta(minutes=1))
        article.first_published_at = article.publish_at
        article.save()
        ArticleAuthor.objects.get_or_create(article=article, author=authors[0])
        article.tags.add(*Tag.objects.filter(slug__in=["المغرب", "الولايات-المتحدة", "دبلوماسية"]))
        self.add_seed_picture(article)
        return article

    def add_seed_picture(self, article: Article) -> None:
        """One library picture inside the seed's body, after its first paragraph.

        Drawn here rather than downloaded, so the demo works offline and its licence is ours;
        the same drawing hashes the same, so the library keeps one copy however often this runs.
        """
        if "data-media-id" in (article.body_ar or ""):
            return
        from library.services import figure_html, image_add

        image = image_add(
            data=demo_picture_bytes(),
            filename="seed-illustration.jpg",
            alt="رسم توضيحي لعلمي المغرب والولايات المتحدة فوق طاولة اجتماع",
            caption="مباحثات دبلوماسية بين المغرب والولايات المتحدة (رسم توضيحي)",
            credit="أخبار المغرب",
        )
        figure = figure_html(image, caption=image.caption_ar, credit=image.credit_ar)
        first, sep, rest = article.body_ar.partition("</p>")
        article.body_ar = f"{first}{sep}{figure}{rest}" if sep else article.body_ar + figure
        article.save(update_fields=["body_ar"])

    def make_hidden(self, categories: list[Category]) -> None:
        """A draft and a scheduled article: both must stay off the public site."""
        hidden = [
            ("مسودة: تقرير لم يكتمل بعد", Article.Status.DRAFT, None),
            (
                "مقال مجدول للنشر الأسبوع المقبل",
                Article.Status.PUBLISHED,
                timezone.now() + timedelta(days=7),
            ),
        ]
        for title, status, publish_at in hidden:
            Article.objects.get_or_create(
                slug=unicode_slug(title),
                defaults={
                    "title_ar": title,
                    "category": categories[-1],
                    "status": status,
                    "publish_at": publish_at,
                    "body_ar": "<p>هذا المقال يجب ألا يظهر للقراء.</p>",
                },
            )

    def make_pages(self) -> None:
        """About, Privacy and Terms in Arabic and French; left alone once they exist."""
        for order, (title_ar, body_ar, title_fr, slug_fr, body_fr) in enumerate(DEMO_PAGES):
            Page.objects.get_or_create(
                slug_ar=unicode_slug(title_ar),
                defaults={
                    "title_ar": title_ar,
                    "body_ar": body_ar,
                    "title_fr": title_fr,
                    "slug_fr": slug_fr,
                    "body_fr": body_fr,
                    "is_published": True,
                    "order": order,
                },
            )

    def make_generated(
        self, categories: list[Category], authors: list[Author], count: int, progress: bool
    ) -> None:
        existing = Article.objects.filter(slug__startswith=GENERATED_PREFIX).count()
        missing = max(0, count - existing)
        if not missing:
            return
        rng = random.Random(existing)  # noqa: S311 - demo text, not security
        start = timezone.now() - timedelta(hours=2)
        batch_size = 1000
        bar = tqdm(total=missing, desc="articles", unit="art", disable=not progress)
        for offset in range(0, missing, batch_size):
            batch = []
            for i in range(offset, min(missing, offset + batch_size)):
                n = existing + i + 1
                title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
                when = start - timedelta(minutes=37 * n)
                body = "".join(
                    f"<p>{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
                    f"في إطار برنامج سنة {when.year}.</p>"
                    for _ in range(4)
                )
                article = Article(
                    title_ar=f"{title} ({n})",
                    slug=f"{GENERATED_PREFIX}{n}",
                    summary_ar=f"{title} في خبر من أخبار {when:%Y}.",
                    body_ar=body,
                    # Every third article is translated; spread those over all sections too.
                    category=categories[(n // 3 if n % 3 == 0 else n) % len(categories)],
                    status=Article.Status.PUBLISHED,
                    publish_at=when,
                    first_published_at=when,
                )
                if n % 3 == 0:
                    article.title_fr = f"Article de démonstration n° {n}"
                    article.slug_fr = f"{GENERATED_PREFIX}{n}"
                    article.summary_fr = "Un article de démonstration en français."
                    article.body_fr = "<p>Texte de démonstration en français.</p>"
                    article.title_en = f"Demo article no. {n}"
                    article.slug_en = f"{GENERATED_PREFIX}{n}"
                    article.summary_en = "A demo article in English."
                    article.body_en = "<p>Demo text in English.</p>"
                article.sync_translation_flags()  # bulk_create does not call save()
                batch.append(article)
            with transaction.atomic():
                created = Article.objects.bulk_create(batch)
                ArticleAuthor.objects.bulk_create(
                    ArticleAuthor(article=a, author=authors[a.pk % len(authors)], order=0)
                    for a in created
                )
            bar.update(len(batch))
        bar.close()
