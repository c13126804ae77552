"""Checks that the facilitator notes hold together.

The notes are read by someone who has never seen the kit, often on the morning of a
workshop, so a broken link, an agenda that does not add up or a script missing its
timing is a real failure, not a cosmetic one. These tests read only Markdown files and
the list of notebooks; they need no network and no kernel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NOTES = REPO / "facilitator_notes"
INDEX = NOTES / "README.md"
AGENDAS = NOTES / "agendas.md"
NOTEBOOKS = REPO / "notebooks"

THEMES = (
    "quality_time",
    "vulnerability",
    "communication",
    "trust_and_intimacy",
    "empathy_and_listening",
    "gratitude_and_appreciation",
    "emotional_connection",
    "shared_rituals",
    "shared_values",
    "resolving_conflict",
    "hard_times",
    "seeking_help",
)
SCRIPT_SECTIONS = (
    "Purpose",
    "What to say",
    "The exercise, step by step",
    "Debrief questions",
    "Timing",
    "Variations",
)
# Each theme script must say how to run it in these three kinds of room.
VARIATION_KEYWORDS = ("paper", "online", "large group")

EXPECTED_AGENDAS = {
    "90-minute workshop": 90,
    "Half-day workshop": 210,
    "Full-day workshop": 390,
}
AGENDA_COLUMNS = ["Time", "Minutes", "Module", "Notebook"]
NO_NOTEBOOK = "—"

# [text](target) or ![alt](target), with an optional "title" after the target.
LINK = re.compile(r"!?\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCED_CODE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[ \t]*$", re.DOTALL | re.MULTILINE)
INLINE_CODE = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6} +(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
EXTERNAL = ("http://", "https://", "mailto:")
AGENDA_HEADING = re.compile(r"^## (?P<title>.+?) \(total (?P<total>\d+) minutes\)\s*$")
TIME = re.compile(r"^(?P<hours>\d+):(?P<minutes>[0-5]\d)$")


def _rel(path: Path) -> str:
    try:
        return path.relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


def _report(title: str, problems: list[str]) -> None:
    """Fail with one readable line per problem (pytest.fail avoids a long repr)."""
    if problems:
        pytest.fail(f"{title}:\n  " + "\n  ".join(problems), pytrace=False)


def _note_pages() -> list[Path]:
    return sorted(NOTES.rglob("*.md"))


def _without_code(text: str) -> str:
    """The text with code blocks and code spans removed: links there are only examples."""
    return INLINE_CODE.sub("", FENCED_CODE.sub("", text))


def _links(page: Path) -> list[str]:
    text = _without_code(page.read_text(encoding="utf-8"))
    return [match["target"] for match in LINK.finditer(text)]


def _local_target(page: Path, target: str) -> Path | None:
    """Where a relative link points, or None for external and same-page links."""
    if target.startswith(EXTERNAL):
        return None
    path_part = target.split("#", 1)[0]
    if not path_part:
        return None
    return (page.parent / path_part).resolve()


def _slug(heading: str) -> str:
    """The anchor GitHub and JupyterLab give a heading: lower case, punctuation dropped.

    >>> _slug("Tech set-up and troubleshooting")
    'tech-set-up-and-troubleshooting'
    """
    text = LINK.sub(lambda m: m["text"], heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = FENCED_CODE.sub("", page.read_text(encoding="utf-8"))
    return {_slug(heading) for heading in HEADING.findall(text)}


# --- agendas ----------------------------------------------------------------------


@dataclass
class AgendaRow:
    line_number: int
    time: str
    minutes: str
    module: str
    notebook: str


@dataclass
class Agenda:
    title: str
    total: int
    line_number: int
    header: list[str] | None = None
    rows: list[AgendaRow] = field(default_factory=list)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _parse_agendas() -> list[Agenda]:
    """Every ``## Title (total N minutes)`` section with the first table under it."""
    agendas: list[Agenda] = []
    current: Agenda | None = None
    in_table = False
    for number, line in enumerate(AGENDAS.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("## "):
            match = AGENDA_HEADING.match(line)
            current = Agenda(match["title"], int(match["total"]), number) if match else None
            if current is not None:
                agendas.append(current)
            in_table = False
            continue
        if current is None:
            continue
        if not line.lstrip().startswith("|"):
            if in_table:
                current = None  # only the first table under a heading is the agenda
            continue
        in_table = True
        cells = _cells(line)
        if current.header is None:
            current.header = cells
        elif all(re.fullmatch(r":?-{3,}:?", cell) for cell in cells):
            continue  # the |---|---| separator row
        else:
            padded = [*cells, "", "", "", ""][:4]
            current.rows.append(AgendaRow(number, *padded))
    return agendas


def _agenda_titles() -> list[str]:
    return [agenda.title for agenda in _parse_agendas()] if AGENDAS.exists() else []


def _agenda_notebook_links() -> list[tuple[Agenda, AgendaRow, str, Path | None]]:
    found = []
    for agenda in _parse_agendas():
        for row in agenda.rows:
            for match in LINK.finditer(row.notebook):
                target = match["target"]
                found.append((agenda, row, target, _local_target(AGENDAS, target)))
    return found


# --- 1. links -------------------------------------------------------------------


def test_notes_exist() -> None:
    assert NOTES.is_dir(), f"missing folder {_rel(NOTES)}"
    assert INDEX.is_file(), f"missing index {_rel(INDEX)}"


def test_every_relative_link_resolves() -> None:
    broken = sorted(
        {
            f"{_rel(page)}: ({target}) -> {_rel(resolved)} does not exist"
            for page in _note_pages()
            for target in _links(page)
            if (resolved := _local_target(page, target)) is not None and not resolved.exists()
        }
    )
    _report("broken links in facilitator_notes", broken)


def test_every_anchor_in_a_notes_link_exists() -> None:
    broken = []
    for page in _note_pages():
        for target in _links(page):
            if target.startswith(EXTERNAL) or "#" not in target:
                continue
            path_part, anchor = target.split("#", 1)
            linked = (page.parent / path_part).resolve() if path_part else page
            if linked.suffix != ".md" or not linked.exists():
                continue  # notebook anchors are not checked; missing files fail above
            if anchor not in _anchors(linked):
                broken.append(f"{_rel(page)}: ({target}) has no heading '#{anchor}'")
    _report("links to headings that do not exist", broken)


def test_no_web_links() -> None:
    """The kit runs offline; a facilitator cannot follow a web link in the room."""
    web = [
        f"{_rel(page)}: ({target})"
        for page in _note_pages()
        for target in _links(page)
        if target.startswith(("http://", "https://"))
    ]
    _report("web links in facilitator_notes", web)


def test_index_links_every_page() -> None:
    linked = {_local_target(INDEX, target) for target in _links(INDEX)}
    missing = [_rel(page) for page in _note_pages() if page != INDEX and page not in linked]
    _report(f"{_rel(INDEX)} does not link these pages", missing)


def test_every_page_links_back_to_the_index() -> None:
    orphans = [
        _rel(page)
        for page in _note_pages()
        if page != INDEX and INDEX not in {_local_target(page, t) for t in _links(page)}
    ]
    _report(f"these pages do not link back to {_rel(INDEX)}", orphans)


# --- 2. agendas and notebooks ---------------------------------------------------


def test_every_notebook_is_in_an_agenda() -> None:
    named = {path.name for *_, path in _agenda_notebook_links() if path is not None}
    missing = [_rel(nb) for nb in sorted(NOTEBOOKS.glob("*.ipynb")) if nb.name not in named]
    _report(f"these notebooks are not linked from any agenda in {_rel(AGENDAS)}", missing)


def test_every_agenda_notebook_exists() -> None:
    missing: dict[str, list[str]] = {}
    for agenda, row, target, path in _agenda_notebook_links():
        if path is None or not path.is_file():
            missing.setdefault(target, []).append(f"{agenda.title!r} line {row.line_number}")
    _report(
        f"{_rel(AGENDAS)} links notebooks that do not exist",
        [f"({target}), linked from {', '.join(where)}" for target, where in missing.items()],
    )


def test_notebook_cells_hold_a_notebook_link_or_a_dash() -> None:
    bad = []
    for agenda in _parse_agendas():
        for row in agenda.rows:
            if row.notebook == NO_NOTEBOOK:
                continue
            targets = [match["target"] for match in LINK.finditer(row.notebook)]
            if not targets or not all(t.split("#")[0].endswith(".ipynb") for t in targets):
                bad.append(f"{agenda.title!r} line {row.line_number}: {row.notebook!r}")
    _report(
        f"in {_rel(AGENDAS)} the Notebook column must hold links to .ipynb files "
        f"or {NO_NOTEBOOK!r}",
        bad,
    )


# --- 3. agendas add up ----------------------------------------------------------


def test_the_three_agendas_are_present() -> None:
    found = {agenda.title: agenda.total for agenda in _parse_agendas()}
    assert found == EXPECTED_AGENDAS, (
        f"{_rel(AGENDAS)} must have exactly these agenda headings "
        f"('## Title (total N minutes)'): {EXPECTED_AGENDAS}; found {found}"
    )


@pytest.mark.parametrize("title", _agenda_titles())
def test_agenda_minutes_and_times_add_up(title: str) -> None:
    agenda = next(a for a in _parse_agendas() if a.title == title)
    where = f"{_rel(AGENDAS)}, agenda {title!r} (line {agenda.line_number})"
    assert agenda.header == AGENDA_COLUMNS, (
        f"{where}: the table columns must be {AGENDA_COLUMNS}; not {agenda.header}"
    )
    assert agenda.rows, f"{where}: the table has no rows"

    problems = []
    elapsed = 0
    for row in agenda.rows:
        at = f"line {row.line_number}"
        if not re.fullmatch(r"\d+", row.minutes):
            problems.append(f"{at}: Minutes must be a whole number; not {row.minutes!r}")
            continue
        time = TIME.match(row.time)
        expected = f"{elapsed // 60}:{elapsed % 60:02d}"
        if not time:
            problems.append(f"{at}: Time must look like H:MM; not {row.time!r}")
        elif int(time["hours"]) * 60 + int(time["minutes"]) != elapsed:
            problems.append(
                f"{at}: Time {row.time!r} does not follow the minutes above it; expected {expected}"
            )
        elapsed += int(row.minutes)
    if elapsed != agenda.total:
        problems.append(
            f"the Minutes column adds up to {elapsed}, but the heading says {agenda.total}"
        )
    _report(where, problems)


# --- 4. theme scripts -------------------------------------------------------------


def _sections(text: str) -> dict[str, str]:
    """Level-2 headings mapped to the text under them (code blocks ignored)."""
    parts = re.split(r"^## +(.+?)[ \t]*$", FENCED_CODE.sub("", text), flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


@pytest.mark.parametrize("theme", THEMES)
def test_theme_script_has_every_section(theme: str) -> None:
    script = NOTES / "scripts" / f"{theme}.md"
    assert script.is_file(), f"missing theme script {_rel(script)}"
    sections = _sections(script.read_text(encoding="utf-8"))
    missing = [name for name in SCRIPT_SECTIONS if name not in sections]
    assert not missing, (
        f"{_rel(script)} lacks the '## ' section(s) {missing}; it has {list(sections)}"
    )
    empty = [name for name in SCRIPT_SECTIONS if not sections[name].strip()]
    assert not empty, f"{_rel(script)} has empty section(s) {empty}"
    variations = sections["Variations"].lower()
    absent = [word for word in VARIATION_KEYWORDS if word not in variations]
    assert not absent, f"{_rel(script)}: the Variations section does not mention {absent}"
