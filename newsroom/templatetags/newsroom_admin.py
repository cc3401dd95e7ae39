from typing import Any

from django import template

from newsroom.dashboard import counters_for

register = template.Library()


@register.inclusion_tag("admin/includes/dashboard_counters.html", takes_context=True)
def dashboard_counters(context: dict[str, Any]) -> dict[str, Any]:
    return {"counters": counters_for(context["request"].user)}
