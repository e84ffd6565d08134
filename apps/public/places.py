"""Places: the list of Jinan and its districts, counties and zones, and each place's own page (its
status counts, its goals with their source sentences, its reported results and its documents)."""

from django.http import Http404
from django.shortcuts import redirect, render

from apps.goals.models import Jurisdiction

from . import selectors
from .caching import public_page


@public_page
def place_list(request):
    places = list(selectors.places_overview())
    by_parent: dict[int | None, list] = {}
    for place in places:
        by_parent.setdefault(place.parent_id, []).append(place)
    tops = by_parent.get(None, [])
    return render(
        request,
        "public/place_list.html",
        {"tops": [(top, by_parent.get(top.pk, [])) for top in tops]},
    )


def place_chain(place):
    """The place's parents, top first (济南市 for 历城区), from the select_related chain."""
    chain = []
    parent = place.parent
    while parent is not None and len(chain) < 2:
        chain.append(parent)
        parent = parent.parent if parent.parent_id else None
    return list(reversed(chain))


@public_page
def place_detail(request, slug):
    try:
        place = selectors.place_for_page(slug)
    except Jurisdiction.DoesNotExist:
        raise Http404("No such place") from None
    if place.is_home:  # the city's page is the home page
        return redirect("public:dashboard")
    counts = selectors.place_status_counts(place)
    return render(
        request,
        "public/place_detail.html",
        {
            "place": place,
            "chain": place_chain(place),
            "status_counts": counts,
            "total": sum(row["count"] for row in counts),
            "goals": selectors.place_goals(place),
            "figures": selectors.place_figures(place),
            "documents": selectors.place_documents(place),
            "rows_shown": selectors.PLACE_PAGE_ROWS,
        },
    )
