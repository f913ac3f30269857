"""One suppression pattern per underlying count, over all areas of a gemeente (ADR 0006,
"Suppression").

A count (participants, active core, meldingen to the police, respondents of a scale, ...) is
revealed by every figure made of it: by its n, or by its value times a public population. So the
count, not the figure, is what is suppressed: a cell (count, area) is hidden where the count is
below the minimum (primary, ``KLEIN``), and further cells are hidden to protect those
(secondary, ``BESCHERMING``); a figure is hidden wherever any of its counts is.

What an attacker knows: every published cell, the additive structure (a wijk is the sum of its
buurten, the gemeente the sum of its wijken; an area's meldingen are the sum of those per
routing target and a rest, which we take as known), and the reason of each hidden cell: a cell
hidden for protection holds at least the minimum ``d``. From a line ``total = sum(parts)`` with
a published total the attacker learns the sum of the hidden parts, and by substituting the lines
of hidden parts (a hidden wijk = its buurten, a hidden area total = its targets) the sums of the
groups beneath. Such a group is
protected when its small cells hold nobody, or when, after taking ``d`` off for every cell hidden
for protection, it still holds at least ``d``: the attacker can then not bound the small cells
below the minimum. An unprotected group gets one more cell hidden: the smallest published part
whose addition protects it (else the largest); at the gemeente the smallest complement wijk and
then its buurten (a hidden wijk whose buurten are all published is as good as published); the
total itself only when nothing else is left. Cells the attacker can compute (the one unknown of
a line) count as published. Repeated until nothing changes; ties go by key, so the result is
deterministic.

A count that is never published, the rest of a part in its whole (30 meldingen, 29 with
feedback: 1 without), is an unknown from the start with no label bounding it (``unpublished``):
``whole = part + rest`` is one more line, and a small rest hides the part or the whole.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

KLEIN, BESCHERMING = "klein", "bescherming"
NOOIT = "nooit"  # a count never published (a complement): unknown, but no label bounds it

Cell = tuple  # (count, area key)


@dataclass(frozen=True)
class Line:
    """``total = sum(parts)``; ``tree`` when the parts are the total's child areas."""

    total: Cell
    parts: tuple[Cell, ...]
    tree: bool = True


def patterns(
    values: dict[Cell, int],
    lines: Iterable[Line],
    drempel_of: Callable[[str], int],
    public: frozenset[str] = frozenset(),
    unpublished: frozenset[str] = frozenset(),
) -> dict[Cell, str]:
    """{cell: KLEIN | BESCHERMING} for every hidden cell of ``values``; counts in ``public``
    are taken as known to the attacker and never hidden; counts in ``unpublished`` (the
    complement of a part in its whole) are never shown, so they start hidden, and what they
    hold counts in full (no label says they hold at least the minimum)."""
    lines = list(lines)
    hidden = {
        cell: KLEIN
        for cell, value in values.items()
        if cell[0] not in public and value < drempel_of(cell[0])
    }
    for cell in values:
        if cell[0] in unpublished:
            hidden.setdefault(cell, NOOIT)
    below: dict = {}  # a total -> the lines that give it as a sum of parts
    for line in lines:
        below.setdefault(line.total, []).append(line)
    side: dict = {}  # a cell -> the lines within one area (``sum_lines``) it is a part of
    for line in lines:
        if not line.tree:
            for part in line.parts:
                side.setdefault(part, []).append(line)
    attacker = Attacker(lines, hidden)  # kept up to date with every hidden cell
    known = attacker.known
    above: dict = {}  # a cell -> the totals of the lines it is a part of
    for line in lines:
        for part in line.parts:
            above.setdefault(part, []).append(line.total)
    # One view of the groups for the whole run: a cell's groups depend only on the cells
    # beneath it, so a hidden cell forgets the groups of itself and of what lies above the cells
    # whose state it changed (``Groups.forget``), not all of them (issue 15: a city's requests
    # took 422 passes, each building every group again).
    groups = Groups(values, hidden, known, below, drempel_of)
    # Only the lines whose answer a hidden cell may have changed are checked again: the passes,
    # their order and every decision stay as if each pass checked every line (issue 15).
    due = Due(lines)
    changed = True
    while changed:
        changed = False
        for index, line in enumerate(lines):
            if not due.now(index):
                continue
            due.checked(index)
            if line.total in hidden and line.total not in known:
                continue  # nothing published to subtract from (its parent line covers it)
            weakest = groups.combine(_unknown(line, hidden, known))[1]
            drempel = drempel_of(line.total[0])
            if (weakest is None or weakest[0] >= drempel) and line.tree:
                mirror = _mirror(_unknown(line, hidden, known), side, groups)
                if mirror is not None:
                    weakest, drempel = mirror
            if weakest is not None and weakest[0] < drempel:
                # Asked again next pass, protected or not: the protection may lie on another
                # line, whose cells this line's check does not read.
                due.again(index)
                # A hidden total that another line gives away: protect it there.
                while line.total in hidden and known.get(line.total, line) is not line:
                    line = known[line.total]
                cell = _protect(line, weakest[0], groups, drempel, public, known)
                if cell is not None:
                    changed = True
                    # What the attacker determines changes with every hidden cell: a stale view
                    # would protect the same group again from each line that shows it.
                    states = {cell, *attacker.hide(cell)}
                    due.changed(states, groups.forget(states, above))
    return {cell: reden for cell, reden in hidden.items() if reden != NOOIT}


class Due:
    """Which lines a pass checks: at first every line, then only those whose check reads a cell
    whose state changed since the line was last found in order (issue 15: a city's facilitation
    requests took 422 passes over 3,511 lines, nearly all of them checked again unchanged).

    A line's check reads the state (hidden, given away) of its total and its parts, the groups of
    its parts (made of the cells beneath them: ``Groups.forget`` names every total above a
    changed cell) and, for its mirror, the cells of the lines within one area that its parts are
    on (``_mirror``). A hidden cell makes due every line with such a cell. A line found weak
    stays due, as its protection may lie on another line (a hidden total given away there)."""

    def __init__(self, lines: list[Line]):
        self.on: dict = {}  # a cell -> the lines it is the total or a part of
        self.beside: dict = {}  # a cell -> the parts of the lines within one area it is on
        for index, line in enumerate(lines):
            for cell in (line.total, *line.parts):
                self.on.setdefault(cell, []).append(index)
                if not line.tree:
                    self.beside.setdefault(cell, set()).update(line.parts)
        self.due = set(range(len(lines)))

    def now(self, index: int) -> bool:
        return index in self.due

    def checked(self, index: int) -> None:
        self.due.discard(index)

    def again(self, index: int) -> None:
        self.due.add(index)

    def changed(self, states: set, groups: set) -> None:
        """``states``: the cells hidden or given away (or no longer); ``groups``: the cells whose
        groups were forgotten with them."""
        cells = set(groups)
        for cell in states:
            cells.update(self.beside.get(cell, ()))
        for cell in cells:
            self.due.update(self.on.get(cell, ()))


class Attacker:
    """What the attacker computes: {hidden cell: the line it follows from} (``known``), for the
    cells that are the only unknown of a line, repeatedly. Kept up to date as cells are hidden
    one by one: a new unknown undoes what was computed through its lines, and only those lines
    are settled again (a full recomputation per hidden cell costs seconds for a city)."""

    def __init__(self, lines: list[Line], hidden: dict):
        self.hidden = hidden
        self.known: dict = {}
        self.on: dict = {}  # a cell -> the lines it is on
        for line in lines:
            for cell in (line.total, *line.parts):
                self.on.setdefault(cell, []).append(line)
        self._settle(reversed(lines))

    def _settle(self, todo) -> set:
        todo, settled = list(todo), set()
        while todo:
            line = todo.pop()
            unknown = [
                c for c in (line.total, *line.parts) if c in self.hidden and c not in self.known
            ]
            if len(unknown) == 1:
                self.known[unknown[0]] = line
                settled.add(unknown[0])
                todo.extend(reversed(self.on[unknown[0]]))
        return settled

    def hide(self, cell) -> set:
        """``cell`` has just been hidden; returns the cells whose line of origin changed."""
        new, touched, changed = [cell], [], set()
        while new:
            unknown = new.pop()
            for line in self.on.get(unknown, ()):
                touched.append(line)
                for other in (line.total, *line.parts):
                    if other != unknown and self.known.get(other) is line:
                        del self.known[other]
                        new.append(other)
                        changed.add(other)
        changed |= self._settle(reversed(touched))
        return changed


def _mirror(group: list, side: dict, groups: "Groups"):
    """The group beside ``group``, the hidden cells of one tree line: ((weight, cells),
    minimum) when it leaks, else None. Where each of the group's cells is, within its area, a part
    of a whole whose other cells are known but one (a core of 8 and 5 hidden in two buurten
    whose participants, 11 and 10, are published), the sum of those others follows too (their
    rests: 21 - 13 = 8), however heavy the group itself is."""
    if len(group) < 2:  # one cell: its own area's line shows it (``patterns``)
        return None
    hidden, known = groups.hidden, groups.known
    beside = []
    for cell in group:
        for line in side.get(cell, ()):
            others = [
                c for c in (line.total, *line.parts) if c != cell and c in hidden and c not in known
            ]
            if len(others) == 1 and others[0] != line.total:
                beside.append(others[0])
                break
        else:
            return None
    if len({cell[0] for cell in beside}) != 1:
        return None
    small = any(hidden[c] in (KLEIN, NOOIT) and groups.values[c] > 0 for c in beside)
    drempel = groups.drempel_of(beside[0][0])
    weight = sum(groups.weight(c) for c in beside)
    if small and weight < drempel:
        return (weight, beside), drempel
    return None


def _unknown(line, hidden, known) -> list:
    """The hidden parts of ``line`` that other lines do not give away (a part that only this
    line gives away is exactly what must not happen, so it stays in the group)."""
    return [p for p in line.parts if (p in hidden and p not in known) or known.get(p) is line]


@dataclass
class Groups:
    """The groups of hidden cells whose sum a line gives away: its hidden parts, each either
    itself or, where it is a total, replaced by its own hidden parts (a hidden wijk = its
    hidden buurten, as the attacker substitutes). A group's *weight* is what it hides beyond
    the labels: a small cell counts in full, a cell hidden for protection only above the
    minimum. A group with a small cell in it is protected when its weight reaches the minimum.
    Per cell only two choices matter: the lightest group, and the lightest with a small cell."""

    values: dict
    hidden: dict
    known: dict
    below: dict
    drempel_of: Callable[[str], int]
    cache: dict = field(default_factory=dict)

    def weight(self, cell) -> int:
        protecting = self.hidden.get(cell) == BESCHERMING
        return self.values[cell] - (self.drempel_of(cell[0]) if protecting else 0)

    def forget(self, cells, above: dict) -> set:
        """The state of ``cells`` changed (hidden, or given away by another line): forget the
        groups of those cells and of every total above them, which are made of theirs. Returns
        them all."""
        todo, seen = list(cells), set(cells)
        while todo:
            cell = todo.pop()
            self.cache.pop(cell, None)
            for total in above.get(cell, ()):
                if total not in seen:
                    seen.add(total)
                    todo.append(total)
        return seen

    def options(self, cell):
        if cell not in self.cache:
            self.cache[cell] = self._options(cell)
        return self.cache[cell]

    def _options(self, cell):
        own = (self.weight(cell), [cell])
        small = self.hidden[cell] == KLEIN and self.values[cell] > 0
        best, best_small = own, own if small else None
        for line in self.below.get(cell, ()):
            inner, inner_small = self.combine(_unknown(line, self.hidden, self.known))
            if inner[0] < best[0]:
                best = inner
            if inner_small is not None and (best_small is None or inner_small[0] < best_small[0]):
                best_small = inner_small
        return best, best_small

    def combine(self, cells):
        """(lightest group, lightest group with a small cell or None) over ``cells``."""
        options = [self.options(c) for c in cells]
        weight = sum(best[0] for best, _small in options)
        best = (weight, [c for b, _s in options for c in b[1]])
        best_small = None
        for i, (own_best, own_small) in enumerate(options):
            if own_small is None:
                continue
            w = weight - own_best[0] + own_small[0]
            if best_small is None or w < best_small[0]:
                rest = [c for j, (b, _s) in enumerate(options) if j != i for c in b[1]]
                best_small = (w, rest + own_small[1])
        return best, best_small


def _protect(line, weight, groups: Groups, drempel, public, known):
    """Hide one more cell for a group of ``weight`` below the minimum (see the module
    docstring for which) and return it; None when there is nothing left to hide."""
    hidden, values, below = groups.hidden, groups.values, groups.below
    published = [p for p in line.parts if p not in hidden and p[0] not in public]
    # Beneath hidden parts first (at the gemeente: the buurten of a complement wijk).
    beneath = [
        c
        for p in line.parts
        if p in hidden
        for inner in below.get(p, ())
        if inner.tree
        for c in inner.parts
        if c not in hidden
    ]
    candidates = sorted(beneath or published, key=lambda c: (values[c], c))
    if not candidates:
        # A hidden part that another line gives away (a buurt's feedback count, the only one
        # hidden in its wijk, beside the 1 melding without): hide a neighbour on that line
        # rather than the total here, which would give the next level away in turn.
        giving = [known[p] for p in line.parts if known.get(p) not in (None, line)]
        beside = [
            c for other in giving for c in other.parts if c not in hidden and c[0] not in public
        ]
        if beside:
            cell = min(beside, key=lambda c: (values[c], c))
        elif line.total in hidden:
            return None
        else:
            cell = line.total
    else:
        enough = [c for c in candidates if weight + values[c] - drempel >= drempel]
        cell = enough[0] if enough else candidates[-1]
    hidden[cell] = BESCHERMING
    return cell


def tree_lines(areas: dict, counts: Iterable[str], counted=None) -> list[Line]:
    """``parent = sum(children)`` for every count and every area with children (only those
    ``counted(child)`` says its count adds up from, when given)."""
    lines = []
    for count in counts:
        for key, area in sorted(areas.items()):
            children = [c for c in area.children if counted is None or counted(c)]
            if children:
                lines.append(Line((count, key), tuple((count, child) for child in children)))
    return lines


def sum_lines(areas: dict, total: str, parts: Iterable[str], rest: str) -> list[Line]:
    """``total = sum(parts) + rest`` within every area. ``rest`` is either public (the attacker
    may well guess it, e.g. no melding left unrouted: pass it in ``patterns``' ``public``) or a
    count like the others (the complement of a part: 30 meldingen, 29 with feedback)."""
    parts = tuple(parts)
    return [
        Line((total, key), (*((p, key) for p in parts), (rest, key)), tree=False)
        for key in sorted(areas)
    ]


def connected(lines: Iterable[Line], counts: Iterable[str]) -> list[tuple[str, ...]]:
    """The counts grouped by the lines that join them (a tree line joins a count to itself):
    groups share no line, so each can be settled on its own."""
    parent = {count: count for count in counts}

    def root(count):
        while parent[count] != count:
            parent[count] = parent[parent[count]]
            count = parent[count]
        return count

    for line in lines:
        for part in line.parts:
            parent[root(part[0])] = root(line.total[0])
    groups: dict[str, list[str]] = {}
    for count in parent:
        groups.setdefault(root(count), []).append(count)
    return [tuple(group) for group in groups.values()]
