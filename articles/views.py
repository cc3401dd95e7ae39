"""Public views of the newsroom. Thin: querysets hold the rules, templates the layout."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from .models import Article, Author, Category, Tag

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.published().in_language().for_listing().newest_first()[:PAGE_SIZE]
    return render(request, "articles/home.html", {"articles": articles})


def detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.published().select_related("category").prefetch_related("authors", "tags"),
        pk=pk,
    )
    if slug != article.slug:
        return redirect(article, permanent=True)
    return render(request, "articles/detail.html", {"article": article})


@never_cache
@login_required(login_url="admin:login")
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff preview of any state, only for users who may change this article."""
    if not request.user.has_perm("articles.change_article"):
        raise Http404
    article = get_object_or_404(Article.objects.editable_by(request.user), pk=pk)
    return render(request, "articles/detail.html", {"article": article, "preview": True})


def category(request: HttpRequest, slug: str) -> HttpResponse:
    obj = get_object_or_404(Category.objects.active(), slug=slug)
    articles = Article.objects.published().in_language().for_listing().filter(category=obj)
    return render(request, "articles/home.html", {"articles": articles.newest_first()[:PAGE_SIZE]})


def tag(request: HttpRequest, slug: str) -> HttpResponse:
    obj = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.published().in_language().for_listing().filter(tags=obj)
    return render(request, "articles/home.html", {"articles": articles.newest_first()[:PAGE_SIZE]})


def author(request: HttpRequest, slug: str) -> HttpResponse:
    obj = get_object_or_404(Author, slug=slug)
    articles = Article.objects.published().in_language().for_listing().filter(authors=obj)
    return render(request, "articles/home.html", {"articles": articles.newest_first()[:PAGE_SIZE]})
