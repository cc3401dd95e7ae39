"""Comment facts other apps show, as query expressions (registered in CommentsConfig.ready())."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Comment


def approved_comment_count() -> Coalesce:
    """Approved comments of the listed article, as a correlated subquery.

    A JOIN + GROUP BY would group every published row (bodies included) before the LIMIT;
    the subquery runs only for the rows of the page.
    """
    counts = (
        Comment.objects.approved()
        .filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=models.IntegerField()), 0)
