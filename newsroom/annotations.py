"""Values other apps add to every article listing ("12 comments" on a card).

An article list shows facts that belong to other apps: the comment count is the comments app's
business (its model, its idea of "approved"). Apps register a factory in AppConfig.ready();
`ArticleQuerySet.for_listing()` annotates with what is registered, and gives names nobody
registered a default, so a listing still renders (with 0 comments) when the comments app is
not installed. The articles app never imports those apps nor reaches them through `_meta`.

A factory returns one expression per call, correlated to the listed article through
`OuterRef("pk")` (a subquery), so a listing stays a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models.expressions import BaseExpression, Value

_FACTORIES: dict[str, Callable[[], BaseExpression]] = {}


def register(name: str, factory: Callable[[], BaseExpression]) -> None:
    """Add the annotation `name` to article listings; registering a name again replaces it."""
    _FACTORIES[name] = factory


def for_listing(**defaults: Any) -> dict[str, BaseExpression]:
    """Annotations for a listing: every registered one, and `Value(default)` for the names in
    `defaults` that no installed app registered."""
    annotations: dict[str, BaseExpression] = {
        name: Value(default, output_field=_output_field(default))
        for name, default in defaults.items()
    }
    annotations.update((name, factory()) for name, factory in _FACTORIES.items())
    return annotations


def _output_field(value: Any) -> models.Field:
    if isinstance(value, bool):
        return models.BooleanField()
    if isinstance(value, int):
        return models.IntegerField()
    return models.CharField()
