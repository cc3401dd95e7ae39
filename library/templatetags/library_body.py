"""Filters for article bodies on public pages (see library.rendering for why at render time)."""

from __future__ import annotations

from django import template

from library import rendering

register = template.Library()


@register.filter
def body_images(body: str) -> str:
    return rendering.body_images(body)


@register.filter
def body_embeds(body: str) -> str:
    return rendering.body_embeds(body)
