"""A small crawler for the accessibility test: from a signed-in page it follows the site's own
links (GET only), visits each page shape once or twice, and runs axe-core there at desktop and
at phone width.

A "page shape" is a URL with its ids and codes replaced by placeholders and its query dropped:
`/meldingen/mijn/12/` and `/meldingen/mijn/13/` are one shape, rendered by one template.
"""

import re
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

AXE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js").read_text()
RUN = """async (exclude) => {
  const result = await axe.run({exclude: exclude.map(selector => [selector])}, {
    resultTypes: ['violations'],
    // WCAG 2.2's target size (2.5.8, AA): off in axe by default.
    rules: {'target-size': {enabled: true}},
    // No re-fetching of the style sheets (only experimental rules use them): axe's copies
    // would be inline styles, which the CSP refuses, noisily.
    preload: false,
  });
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({
      rule: v.id,
      impact: v.impact,
      targets: v.nodes.map(n => n.target.join(' ')),
    }));
}"""

# Drawn alike on every page that has it: checked fully until a page shows it with a highlighted
# row, then left out (the admin's list of models beside every admin page doubled the time axe
# took there).
SAME_ON_EVERY_PAGE = "#nav-sidebar"
CHECKED_WHEN = "#nav-sidebar .current-model"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Links not followed: leaving the session or switching language (side effects), files rather
# than pages (calendars, exports, photos), machine endpoints, and the admin's pages outside the
# project's own models (Django's and allauth's own), deletion and history pages.
SKIP = re.compile(
    r"/logout/|^/i18n/|\.(ics|csv|json|pdf|jpe?g|png|svg|xml)$|/foto/|/fotos/|^/static/|^/media/"
    r"|^/api/(?!docs/)|^/open311/|^/healthz|^/favicon|/delete/$|/history/$"
    r"|^/beheer/(jsi18n|r|autocomplete)/"
)
ID = re.compile(r"^\d+$")
# Buurt, wijk and gemeente codes (BU03630001), invitation codes and tokens: digits in them.
CODE = re.compile(r"^(?=.*\d)([A-Z0-9]{4,}|[A-Za-z0-9_:-]{16,})$")


def shape(path: str) -> str:
    parts = path.split("/")
    if parts[1:2] == ["beheer"]:
        # The admin: one app index (one template); a model's add form is its change form
        # without data, so the change form (with data: more to check) stands for both.
        if len(parts) == 4 and parts[2]:
            parts[2] = "{app}"
        if len(parts) == 6 and parts[4] == "add":
            parts[4:] = ["{id}", "change", ""]
        elif len(parts) > 6:
            parts[4] = "{id}"  # any primary key
    return "/".join(
        "{id}" if ID.match(part) else "{code}" if CODE.match(part) else part for part in parts
    )


def plain(url: str) -> str:
    """The admin's lists without their filters and sorting (one visit stands for the list; a
    filter may leave it empty). The site's own query strings stay: they choose what is shown."""
    return url.split("?")[0] if urlsplit(url).path.startswith("/beheer/") else url


class Crawl:
    """Breadth first over page shapes, each visited at most ``visits`` times (the first links
    found: a list's first two items, say); ``allowed`` narrows which same-origin paths to
    follow, ``skip`` names shapes checked elsewhere."""

    def __init__(self, page, base_url: str, *, allowed=lambda path: True, skip=(), limit=60):
        self.page, self.base, self.allowed, self.limit = page, base_url, allowed, limit
        self.skip = set(skip)
        self.shapes: dict[str, list[str]] = {}  # shape → the URLs visited for it
        self.found: list[str] = []
        self.checked_once: list[str] = []

    def run(self, starts: list[str]) -> "Crawl":
        queue = deque(self.base + start for start in starts)
        seen = set()
        while queue:
            url = queue.popleft()
            key = shape(urlsplit(url).path)
            visited = self.shapes.get(key, [])
            if url in seen or len(visited) >= self.visits(key):
                continue
            if not visited and len(self.shapes) >= self.limit:
                continue
            seen.add(url)
            self.shapes[key] = [*visited, url]
            queue.extend(self.visit(url))
        return self

    @staticmethod
    def visits(key: str) -> int:
        # The admin draws every object of a model with one form; a site page's content
        # differs with the object's state (an open or a closed melding).
        return 1 if key.startswith("/beheer/") else 2

    def visit(self, url: str) -> list[str]:
        page = self.page
        page.set_viewport_size(DESKTOP)
        response = page.goto(url)
        if response is None or not response.headers.get("content-type", "").startswith("text/html"):
            return []
        if urlsplit(url).path == "/api/docs/":
            # Swagger UI draws after loading; one operation opened shows its parameters too.
            page.locator(".opblock-summary-control").first.click()
            page.locator(".opblock-body").first.wait_for()
            page.mouse.move(0, 0)  # nothing drawn differently under the pointer while checked
        page.evaluate(AXE)
        exclude = list(self.checked_once)
        for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            for v in page.evaluate(RUN, exclude):
                where = ", ".join(v["targets"][:3])
                self.found.append(f"{url} [{label}] {v['rule']} ({v['impact']}): {where}")
        if not exclude and page.locator(CHECKED_WHEN).count():
            self.checked_once.append(SAME_ON_EVERY_PAGE)
        links = page.eval_on_selector_all(  # HTML links and SVG ones (the dashboard's map)
            "a[href]", "links => links.map(a => new URL(a.getAttribute('href'), a.baseURI).href)"
        )
        links = [plain(urldefrag(href)[0]) for href in links]
        # The admin's add form last: an object's change form (with data) stands for both.
        return sorted(
            (link for link in links if self.follows(link)),
            key=lambda link: urlsplit(link).path.endswith("/add/"),
        )

    def follows(self, url: str) -> bool:
        if not url.startswith(self.base + "/"):
            return False
        path = urlsplit(url).path
        return not SKIP.search(path) and self.allowed(path) and shape(path) not in self.skip
