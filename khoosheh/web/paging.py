"""Long lists in pages, with links that keep the page's filters."""

from __future__ import annotations

from django.core.paginator import Paginator

PER_PAGE = 50


def page_of(request, rows, per_page: int = PER_PAGE):
    """The requested page of rows (a bad or too-large page number gives the nearest page), with
    `querystring` that keeps every other GET parameter for the pager's links."""
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    others = request.GET.copy()
    others.pop("page", None)
    page.querystring = others.urlencode()
    return page
