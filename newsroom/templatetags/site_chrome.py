"""Template helpers of every public page's frame: header navigation, language switcher,
message placement and machine-readable dates.

Loaded by base.html and the header; content apps keep their own tag libraries for their own
objects (article pictures, JSON-LD).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils import timezone

from newsroom.fragments import cached_fragment
from newsroom.i18n import current_language, home_url, translated_url, url_of

register = template.Library()

LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "en": "English"}


def _sections() -> list[dict[str, Any]]:
    from articles.home import active_sections  # the sections are the articles' categories

    return [
        {"pk": section.pk, "name": section.name, "url": section.get_absolute_url()}
        for section in active_sections()
    ]


@register.simple_tag
def nav_categories() -> list[dict[str, Any]]:
    """Active sections for the header (pk, name, url), cached until a section is saved."""
    return cached_fragment("nav", ["nav"], current_language(), _sections, scheduled=False)


@register.simple_tag
def site_url(name: str) -> str:
    """`{% url name %}` for the frame's links without arguments, remembered per language."""
    return url_of(name)


@register.simple_tag(takes_context=True)
def sections_nav_fragment(context: template.Context) -> str:
    """The name of the header's cached section menu: one copy per marked entry, the home page
    (`aria-current` on "Home") or the section being shown, read as the menu itself reads them.
    """
    resolver_match = getattr(context.get("request"), "resolver_match", None)
    home = getattr(resolver_match, "url_name", None) == "home"
    try:
        current = template.Variable("category.pk").resolve(context)
    except template.VariableDoesNotExist:
        current = ""
    return f"sections-nav:{'home' if home else ''}:{current}"


class CachedFragmentNode(template.Node):
    def __init__(
        self, nodelist: template.NodeList, name: Any, tags: list[Any], scheduled: bool
    ) -> None:
        self.nodelist, self.name, self.tags, self.scheduled = nodelist, name, tags, scheduled

    def render(self, context: template.Context) -> str:
        name = self.name.resolve(context)
        if not name:  # a page that must not share it (a staff preview): rendered every time
            return self.nodelist.render(context)
        tags: list[str] = []
        for expression in self.tags:
            value = expression.resolve(context)
            tags.extend(map(str, value) if isinstance(value, list | tuple | set) else [str(value)])
        return cached_fragment(
            str(name),
            tags,
            current_language(),
            lambda: self.nodelist.render(context),
            scheduled=self.scheduled,
        )


@register.tag
def cachedfragment(parser: Any, token: Any) -> CachedFragmentNode:
    """`{% cachedfragment "name" "tag" ... %}...{% endcachedfragment %}`: the rendered part,
    (tags may also come as one list),
    cached per language until one of the page cache tags given is purged (newsroom/fragments.py).

    Only for parts that are the same on every page showing them: nothing from the request.
    Values the part needs may be callables in the context, so a hit never computes them. An
    empty name renders the part uncached. A last word `timeless` marks a part no scheduled
    publication changes (it then outlives the next scheduled change).
    """
    bits = token.split_contents()
    scheduled = bits[-1] != "timeless"
    bits = bits if scheduled else bits[:-1]
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name and page cache tags.")
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    tags = [parser.compile_filter(bit) for bit in bits[2:]]
    return CachedFragmentNode(nodelist, parser.compile_filter(bits[1]), tags, scheduled)


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, Any]]:
    """One link per language, to this page's translation where there is one.

    Pages give their alternates in `seo`; a language missing there (an article without a
    French translation) links to that language's home page instead.
    """
    seo = context.get("seo")
    request = context.get("request")
    alternates = {a["code"]: a["url"] for a in (seo or {}).get("alternates", [])}
    current = current_language()
    links = []
    for code, _name in settings.LANGUAGES:
        url = alternates.get(code)
        if url is None and seo is None and request is not None:
            # Pages of other apps (search, contact) give no alternates: same path, other prefix.
            url = translated_url(request.get_full_path(), code)
        if url is None:
            url = home_url(code)
        links.append(
            {
                "code": code,
                "name": LANGUAGE_NAMES.get(code, code),
                "url": url,
                "current": code == current,
            }
        )
    return links


@register.filter
def iso(value: Any) -> str:
    """ISO 8601 with the site's time zone offset, for <time datetime> and metadata."""
    if value is None:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")


@register.filter
def placed(messages: Any, place: str = "") -> list[Any]:
    """The messages meant for one place on the page, named by their `extra_tags`.

    A message with no place shows at the top of the page; one placed "comments" (sent after a
    comment is posted) shows inside the comment section, next to the form the reader used.
    """
    return [message for message in messages or () if (message.extra_tags or "") == place]
