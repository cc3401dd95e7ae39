"""Who may edit, delete and publish articles: the newsroom's roles in one place.

- Journalists add articles, edit their own (created by them, or crediting them) until they
  are published, and submit them for review; they never publish, and never delete work that
  has been published.
- Editors (users with `articles.publish_article`) edit, publish and unpublish everything.

The admin's permissions and actions, the change form's choices, the preview and the tests
all ask these functions; nothing else decides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Article

PUBLISH_PERMISSION = "articles.publish_article"


def user_can_publish(user: Any) -> bool:
    """Editors publish, unpublish, feature and edit everything."""
    return bool(user.has_perm(PUBLISH_PERMISSION))


def is_own_article(user: Any, article: Article) -> bool:
    """Created by the user, or credited to the user's byline."""
    if not getattr(user, "pk", None):
        return False
    return article.created_by_id == user.pk or article.authors.filter(user=user).exists()


def can_edit(user: Any, article: Article | None) -> bool:
    """Editors edit everything; journalists their own work until it is published.

    `None` is a new article, which anyone allowed into the article admin may write.
    """
    if article is None or user_can_publish(user):
        return True
    return is_own_article(user, article) and article.status in (
        article.Status.DRAFT,
        article.Status.REVIEW,
    )


def can_delete(user: Any, article: Article | None) -> bool:
    """Editors delete anything; journalists only their own work that never went online."""
    if article is None or user_can_publish(user):
        return True
    return can_edit(user, article) and article.first_published_at is None


def statuses_for(user: Any) -> list[str]:
    """The statuses the user may set in the change form."""
    from .models import Article

    if user_can_publish(user):
        return list(Article.Status.values)
    return [Article.Status.DRAFT, Article.Status.REVIEW]
