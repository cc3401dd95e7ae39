from datetime import timedelta
from typing import Any

from django import template
from django.contrib import admin
from django.utils.translation import gettext, ngettext

from newsroom.dashboard import counters_for

register = template.Library()


@register.inclusion_tag("admin/includes/dashboard_counters.html", takes_context=True)
def dashboard_counters(context: dict[str, Any]) -> dict[str, Any]:
    return {"counters": counters_for(context["request"].user)}


@register.simple_tag
def admin_site_title() -> str:
    """The admin's own title, for pages rendered outside the admin's views (the lockout)."""
    return str(admin.site.site_title)


@register.simple_tag
def admin_site_header() -> str:
    return str(admin.site.site_header)


@register.filter
def duration_words(delta: timedelta | None) -> str:
    """A lock's length in words ("ساعة واحدة", "30 دقيقة"), with the language's plural forms.

    Django's timesince() writes "2 ساعتين" in Arabic, counting the dual twice.
    """
    if not delta:
        return ""
    minutes = round(delta.total_seconds() / 60)
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if rest or not hours:
        parts.append(ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest})
    return gettext(" and ").join(parts)


@register.simple_tag
def history_cell(record: Any, column: str) -> Any:
    """A history column as the admin shows it elsewhere: a choice's label, "—" for nothing."""
    display = getattr(record, f"get_{column}_display", None)
    value = display() if callable(display) else getattr(record, column, None)
    return "—" if value is None or value == "" else value
