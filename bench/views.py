"""Reference views for throughput.py: the feed page and a JSON answer without database work."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from buurten.models import Buurt, Wijk
from meldingen import feed, triage
from meldingen.filters import FeedFilter
from meldingen.models import Categorie, Melding
from meldingen.selectors import FeedChoices
from meldingen.workflow import Status
from teamapi.views import TeamAPIView

CATEGORIES = [
    Categorie(pk=pk, naam=naam, ernst=2, reactietermijn_uren=48)
    for pk, naam in enumerate(
        [
            "Verdachte situatie",
            "Drugshandel",
            "Ik word bedreigd of geïntimideerd",
            "Inbraak of vernieling",
            "Overlast",
            "Afval of dumping",
            "Parkeren",
            "Kapot in de straat",
            "Burenruzie of feestje",
            "Iets anders",
        ],
        start=1,
    )
]
WIJKEN = [Wijk(pk=1, code="WK0363AA", naam="Haarlemmerbuurt")]
BUURT = Buurt(pk=1, code="BU0363AA02", naam="Westelijke eilanden", wijk=WIJKEN[0])
STATUSES = [Status.GEROUTEERD, Status.GEZIEN, Status.IN_BEHANDELING]


CHOICES = FeedChoices(
    wijken=[(w.code, w.naam) for w in WIJKEN],
    categorieen=[{"pk": c.pk, "naam": c.naam, "naam_en": c.naam_en} for c in CATEGORIES],
)


def _rows() -> list[Melding]:
    """A page of unsaved meldingen like the feed shows: summaries, statuses, deadlines."""
    now = timezone.now()
    rows = []
    for i in range(feed.PAGE_SIZE):
        melding = Melding(
            pk=100_000 - i,
            buurt=BUURT,
            categorie=CATEGORIES[i % len(CATEGORIES)],
            prioriteit=3 - i // 10,
            status=STATUSES[i % len(STATUSES)],
            created_at=now - timedelta(hours=3 * i),
            wanneer=now - timedelta(hours=3 * i + 1),
            gewicht=1 + i % 3,
            persoon_kleding="donkere jas" if i % 2 else "",
        )
        triage.set_summaries(melding)
        melding.deadline_at = melding.created_at + timedelta(hours=48)
        rows.append(melding)
    return rows


ROWS = _rows()
PAGE = feed.Page(rows=ROWS, next_cursor=feed.encode(ROWS[-1]))


@login_required
def feed_template(request):
    """The feed's template and context keys, with nothing read from the database."""
    filters = FeedFilter(request.GET, Melding.objects.none(), choices=CHOICES)
    filters.is_valid()
    form = filters.form
    query = request.GET.copy()
    query.pop("na", None)
    context = {"form": form, "page": PAGE, "query": query.urlencode(), "now": timezone.now()}
    return render(request, "meldingen/feed.html", context)


def minimal_json(request):
    return JsonResponse({"ok": True})


class TokenJSON(TeamAPIView):
    """The team API's own stack with nothing to read: DRF, the feed token (cached in Redis) and
    the per-token limiter, answering ``{"ok": true}`` (``cold_path.py``'s second yardstick)."""

    def get(self, request):
        return HttpResponse(b'{"ok": true}', content_type="application/json")
