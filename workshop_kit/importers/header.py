"""Stage 2, header: which row is the header, and what each column means.

Survey tools write their headers in more than one way, and this module reads them all:

* **Where the header is.** The row among the first few that names the most check-in
  questions and identity columns is the header. Rows just above or below it that hold only
  header text belong to it: Qualtrics writes export tags, then the question text, then an
  ``{"ImportId": ...}`` row; SurveyMonkey writes the question in one row and, for a grid,
  each statement in the row below (with ``Response`` under single questions). A title row
  above the header is skipped and listed.
* **What a header cell names.** The question's wording (case, spaces, curly quotes and
  punctuation do not matter) or an item id; a numbered title (``1. ...``, ``Q1) ...``); a grid
  statement in brackets (Google Forms ``Stem [statement]``) or after ``Stem - `` (Qualtrics);
  a Kobo ``group/name`` path. The identity columns may be worded as people word them
  (:data:`IDENTITY_WORDINGS` lists examples).
* **Columns the kit does not store.** The survey tools' own columns (:data:`TOOL_COLUMNS`:
  start and end times, e-mail, IP address, response ids, REDCap and Kobo bookkeeping...)
  are recognised and skipped; each is listed in the preview. A column the kit cannot place is
  ``unknown``: the cell stage looks at what it holds (free text is skipped and listed;
  answers in it refuse the file).

Pure logic: no matplotlib, no ipywidgets.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .common import column_letter, normalise_text, shorten

HEADER_SEARCH_ROWS = 12

QUESTION_ROLES = ("answer", "flag", "item_id", "value", "instrument")
IDENTITY_ROLES = ("couple_code", "partner", "phase")

# Shown in refusals and in facilitator_notes/importing_an_online_form.md.
IDENTITY_WORDINGS = {
    "couple_code": (
        "couple_code",
        "Couple code",
        "What is your couple code?",
        "Your couple code (on your card)",
        "Couple ID",
    ),
    "partner": (
        "partner",
        "Partner A or B",
        "Are you partner A or B?",
        "Which partner are you?",
        "Partner letter",
    ),
    "phase": (
        "phase",
        "Before or after",
        "Before or after the workshop?",
        "Which check-in is this?",
        "Pre or post",
    ),
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words an identity question may be made of (after folding); see :func:`identity_role`.
_COUPLE_WORDS = _words(
    """
    couple couples code id your our what is the please enter type write number on
    card from given you were we are s of this here
    """
)
_PARTNER_WORDS = _words(
    """
    partner person a or b are you which what i am is your the letter one of two
    please choose select
    """
)
_PHASE_WORDS = _words(
    """
    phase before or after the workshop session course class programme program day
    check in which is this pre post today when are you filling it taking survey form
    start end of at time point
    """
)

# The survey tools' own columns, folded with normalise_text. The tool named is the one
# that writes it (several write some of them).
TOOL_COLUMNS = {
    # Google Forms
    "timestamp": "Google Forms",
    "email address": "Google Forms",
    "score": "Google Forms",
    # Microsoft Forms
    "id": "Microsoft Forms and others",
    "start time": "Microsoft Forms",
    "completion time": "Microsoft Forms",
    "email": "Microsoft Forms and others",
    "name": "Microsoft Forms and others",
    "last modified time": "Microsoft Forms",
    "total points": "Microsoft Forms",
    "quiz feedback": "Microsoft Forms",
    # Typeform
    "response type": "Typeform",
    "start date utc": "Typeform",
    "stage date utc": "Typeform",
    "submit date utc": "Typeform",
    "network id": "Typeform",
    "tags": "Typeform",
    "ending": "Typeform",
    "token": "Typeform",
    # KoboToolbox (columns starting with "_" are caught by a pattern)
    "start": "KoboToolbox",
    "end": "KoboToolbox",
    "today": "KoboToolbox",
    "deviceid": "KoboToolbox",
    "username": "KoboToolbox",
    "simserial": "KoboToolbox",
    "subscriberid": "KoboToolbox",
    "phonenumber": "KoboToolbox",
    "audit": "KoboToolbox",
    "instanceid": "KoboToolbox",
    # REDCap (also *_timestamp, *_complete and checkbox columns x___1)
    "record id": "REDCap",
    "redcap event name": "REDCap",
    "redcap repeat instrument": "REDCap",
    "redcap repeat instance": "REDCap",
    "redcap survey identifier": "REDCap",
    "redcap data access group": "REDCap",
    "event name": "REDCap",
    "survey identifier": "REDCap",
    "survey timestamp": "REDCap",
    "repeat instrument": "REDCap",
    "repeat instance": "REDCap",
    "data access group": "REDCap",
    "complete": "REDCap",
    # Qualtrics (export tags in row 1, labels in row 2)
    "startdate": "Qualtrics",
    "enddate": "Qualtrics",
    "status": "Qualtrics",
    "ipaddress": "Qualtrics",
    "progress": "Qualtrics",
    "duration in seconds": "Qualtrics",
    "finished": "Qualtrics",
    "recordeddate": "Qualtrics",
    "responseid": "Qualtrics",
    "recipientlastname": "Qualtrics",
    "recipientfirstname": "Qualtrics",
    "recipientemail": "Qualtrics",
    "externalreference": "Qualtrics",
    "locationlatitude": "Qualtrics",
    "locationlongitude": "Qualtrics",
    "distributionchannel": "Qualtrics",
    "userlanguage": "Qualtrics",
    "recorded date": "Qualtrics",
    "response id": "Qualtrics",
    "recipient last name": "Qualtrics",
    "recipient first name": "Qualtrics",
    "recipient email": "Qualtrics",
    "external data reference": "Qualtrics",
    "location latitude": "Qualtrics",
    "location longitude": "Qualtrics",
    "distribution channel": "Qualtrics",
    "user language": "Qualtrics",
    # SurveyMonkey (also "Custom Data 1", "Custom Data 2", ...)
    "respondent id": "SurveyMonkey",
    "collector id": "SurveyMonkey",
    "start date": "SurveyMonkey",
    "end date": "SurveyMonkey",
    "ip address": "SurveyMonkey",
    "first name": "SurveyMonkey",
    "last name": "SurveyMonkey",
    # the kit's own data export, and common spreadsheet habits
    "session id": "the kit's data export",
    "source": "the kit's data export",
    "answered at": "the kit's data export",
    "item text": "the kit's data export",
    "subscale": "the kit's data export",
    "validated language": "the kit's data export",
    "time stamp": "a spreadsheet",
    "submitted at": "a spreadsheet",
    "submission time": "a spreadsheet",
    "date": "a spreadsheet",
    "time": "a spreadsheet",
    "language": "a spreadsheet",
}
_TOOL_PATTERNS = (
    (re.compile(r"^_"), "KoboToolbox"),
    (re.compile(r"^(meta|formhub)/", re.I), "KoboToolbox"),
    (re.compile(r"_timestamp$", re.I), "REDCap"),
    (re.compile(r"_complete$", re.I), "REDCap"),
    (re.compile(r"___\w+$"), "REDCap"),
    (re.compile(r"^custom data \d+$", re.I), "SurveyMonkey"),
    (re.compile(r"^#$"), "Typeform"),
    (re.compile(r"^Q_[A-Za-z]\w*$"), "Qualtrics"),
    (re.compile(r"^(Points|Feedback) - ", re.I), "Microsoft Forms"),
)
# When a row was answered, most trusted first (a row edited later carries its edit time).
ROW_TIME_COLUMNS = (
    "last modified time",
    "completion time",
    "submit date utc",
    "submission time",
    "submitted at",
    "enddate",
    "end date",
    "recordeddate",
    "recorded date",
    "timestamp",
    "time stamp",
    "end",
    "submission_time",
)
# Cells of a header's second row that are not data: SurveyMonkey's and Qualtrics'.
_SUBHEADER = re.compile(r"^(response|open ended response|other please specify|importid\b.*)$")
_NUMBERED = re.compile(r"^\s*(?:q(?:uestion)?\s*)?\d+[a-z]?\s*(?:[.):\]]|-\s)\s*(.+)$", re.I)
_Q_PREFIX = re.compile(r"^\s*q\d+[a-z]?\s+(.+)$", re.I)
_GRID = re.compile(r"^(.*?)\s*\[([^\]]+)\]\s*$")


@dataclass(frozen=True)
class Column:
    """What one column of a sheet means.

    ``role`` is one of couple_code, partner, phase, answer, flag, instrument, item_id,
    value (the identity, question and long-layout columns), metadata (a tool's own column,
    ``tool`` says which), blank (no header) or unknown (a header the kit cannot place).
    """

    index: int
    header: str
    role: str
    instrument: str | None = None
    item_id: str | None = None
    flag: str | None = None
    lo: int | None = None
    hi: int | None = None
    tool: str | None = None
    key: str = ""  # the folded header text

    @property
    def where(self) -> str:
        return f"column {column_letter(self.index)} {shorten(self.header)!r}"


@dataclass
class Header:
    """The header of one sheet: its rows and what each column means."""

    first_row: int  # 1-based: the first row of the header (title rows above it are skipped)
    last_row: int  # 1-based: data starts below this row
    columns: list[Column]
    above: list[str] = field(default_factory=list)  # skipped title rows, as text
    tools: set[str] = field(default_factory=set)  # survey tools whose columns were seen

    def by_role(self, role: str) -> list[Column]:
        return [c for c in self.columns if c.role == role]

    @property
    def roles(self) -> set[str]:
        return {c.role for c in self.columns}

    @property
    def rows_text(self) -> str:
        if self.first_row == self.last_row:
            return f"row {self.first_row}"
        return f"rows {self.first_row}-{self.last_row}"


def identity_role(key: str) -> str | None:
    """The identity column a folded header names, or None.

    >>> identity_role("before or after the workshop"), identity_role("are you partner a or b")
    ('phase', 'partner')
    >>> identity_role("what is your couple code"), identity_role("after a disagreement")
    ('couple_code', None)
    """
    words = set(key.split())
    if not words or len(key.split()) > 9:
        return None
    if words <= _COUPLE_WORDS and (
        "code" in words or key == "couple" or ("couple" in words and words & {"id", "number"})
    ):
        return "couple_code"
    if words <= _PARTNER_WORDS and words & {"partner", "person"}:
        return "partner"
    if words <= _PHASE_WORDS and (
        {"before", "after"} <= words
        or {"pre", "post"} <= words
        or "phase" in words
        or {"check", "in"} <= words
    ):
        return "phase"
    return None


def tool_of(raw: str, key: str) -> str | None:
    """Which survey tool writes a column with this header, or None."""
    if key in TOOL_COLUMNS:
        return TOOL_COLUMNS[key]
    stripped = raw.strip()
    for pattern, tool in _TOOL_PATTERNS:
        if pattern.search(stripped):
            return tool
    return None


def variants(raw: str) -> list[str]:
    """Other readings of a header cell, most specific first.

    >>> variants("1. We make time")
    ['We make time']
    >>> variants("How true is each? [Stress pushes us apart.]")
    ['Stress pushes us apart.']
    >>> variants("How true is each sentence? - Stress pushes us apart.")
    ['Stress pushes us apart.']
    """
    found = []
    text = raw.strip()
    for pattern in (_NUMBERED, _Q_PREFIX):
        match = pattern.match(text)
        if match:
            found.append(match.group(1))
    grid = _GRID.match(text)
    if grid:
        found.append(grid.group(2))
    if " - " in text:
        found += [text.rsplit(" - ", 1)[1], text.split(" - ", 1)[1]]
    if "/" in text and " " not in text:
        found.append(text.rsplit("/", 1)[1])
    return list(dict.fromkeys(v for v in found if v.strip() and v != text))


class Vocabulary:
    """Every header a file may carry, from the session's content."""

    def __init__(self, content):
        self.targets: dict[str, tuple] = {}  # folded header -> ("answer", inst, item, lo, hi)
        self.suggestions: list[str] = []
        for inst in content.instruments:
            if inst.kind == "picture":
                target = ("answer", inst.id, inst.id, inst.min, inst.max)
                for name in (inst.id, inst.name, inst.intro):
                    if name:
                        self.targets.setdefault(normalise_text(name), target)
                self.suggestions.append(inst.id)
                continue
            for item in inst.items:
                target = ("answer", inst.id, item.id, item.min, item.max)
                self.targets.setdefault(normalise_text(item.id), target)
                self.targets.setdefault(normalise_text(f"{inst.id} {item.id}"), target)
                self.suggestions.append(item.id)
                if item.text:
                    self.targets.setdefault(normalise_text(item.text), target)
                    self.suggestions.append(item.text)
        for flag in content.flags:
            target = ("flag", flag.id)
            self.targets.setdefault(normalise_text(flag.id), target)
            self.targets.setdefault(normalise_text(flag.text), target)
            self.suggestions += [flag.id, flag.text]
        self.anchors = {
            inst.id: {normalise_text(text): value for value, text in inst.anchors.items()}
            for inst in content.instruments
        }
        self.anchor_words = {inst.id: dict(inst.anchors) for inst in content.instruments}
        self.item_ids: dict[str, list[tuple[str, int, int]]] = {}
        for kind, *rest in dict.fromkeys(self.targets.values()):
            if kind == "answer":
                inst_id, item_id, lo, hi = rest
                self.item_ids.setdefault(item_id, []).append((inst_id, lo, hi))

    def _known(self, index: int, raw: str, key: str) -> Column | None:
        if key in self.targets:
            target = self.targets[key]
            if target[0] == "answer":
                _, inst, item, lo, hi = target
                return Column(
                    index, raw, "answer", instrument=inst, item_id=item, lo=lo, hi=hi, key=key
                )
            return Column(index, raw, "flag", flag=target[1], key=key)
        role = identity_role(key)
        if role:
            return Column(index, raw, role, key=key)
        if key in ("instrument", "item id", "item", "value", "answer"):
            role = {"item": "item_id", "answer": "value"}.get(key, key.replace(" ", "_"))
            return Column(index, raw, role, key=key)
        return None

    def column(self, index: int, raw: str) -> Column:
        """What a header cell means (role ``blank`` or ``unknown`` when nothing)."""
        raw = str(raw)
        key = normalise_text(raw)
        if not raw.strip():
            return Column(index, raw, "blank")
        found = self._known(index, raw, key)
        if found is not None:
            return found
        tool = tool_of(raw, key)  # before the variants: "Points - <question>" is the tool's
        if tool:
            return Column(index, raw, "metadata", tool=tool, key=key)
        for variant in variants(raw):
            found = self._known(index, raw, normalise_text(variant))
            if found is not None:
                return found
        return Column(index, raw, "unknown", key=key)

    def score_row(self, cells: list[str]) -> int:
        """How many cells of a row name an identity, question or long-layout column."""
        return sum(
            self.column(i, c).role in QUESTION_ROLES + IDENTITY_ROLES for i, c in enumerate(cells)
        )

    def suggest(self, header: str) -> str:
        texts = [header.strip(), *variants(header)]
        for text in texts:
            close = difflib.get_close_matches(text, self.suggestions, n=1, cutoff=0.6)
            if close:
                return f"; did you mean {close[0]!r}?"
        return ""


def _is_subheader(cells: list[Column]) -> bool:
    """A row under the header that holds only header text (no data)."""
    filled = [c for c in cells if c.role != "blank"]
    return bool(filled) and all(c.role != "unknown" or _SUBHEADER.match(c.key) for c in filled)


def find_header(head: list[list[str]], vocab: Vocabulary) -> Header | None:
    """Find the header among a sheet's first rows; None when no row names any column.

    Parameters
    ----------
    head : list of list of str
        The sheet's first rows (:data:`HEADER_SEARCH_ROWS` of them, or fewer).
    vocab : Vocabulary
        What headers mean.

    Returns
    -------
    Header or None
        Its rows (1-based), the rows skipped above it, and one :class:`Column` per column:
        for each column the first reading that names something, taken from the main
        header row first and then from the rows next to it.
    """
    read = [[vocab.column(i, c) for i, c in enumerate(row)] for row in head]
    scores = [sum(c.role in QUESTION_ROLES + IDENTITY_ROLES for c in row) for row in read]
    if not scores or max(scores) == 0:
        return None
    main = scores.index(max(scores))
    first = main
    while first > 0 and any(c.role not in ("blank", "unknown") for c in read[first - 1]):
        first -= 1
    last = main
    while last + 1 < len(read) and _is_subheader(read[last + 1]):
        last += 1
    order = [main, *range(main - 1, first - 1, -1), *range(main + 1, last + 1)]
    width = max(len(read[r]) for r in range(first, last + 1))
    columns = []
    for index in range(width):
        cells = [read[r][index] for r in order if index < len(read[r])]
        named = [c for c in cells if c.role in QUESTION_ROLES + IDENTITY_ROLES]
        tools = [c for c in cells if c.role == "metadata"]
        texts = [c for c in cells if c.role != "blank" and not _SUBHEADER.match(c.key)]
        if named:
            columns.append(named[0])
        elif tools:
            columns.append(tools[0])
        elif texts:
            columns.append(texts[0])
        else:
            columns.append(Column(index, "", "blank"))
    above = [
        " ".join(c for c in row if c.strip()) for row in head[:first] if any(map(str.strip, row))
    ]
    block = [c for r in range(first, last + 1) for c in read[r]]
    tools = {c.tool for c in block if c.role == "metadata"}
    if any(c.key.startswith("importid") for c in block):
        tools.add("Qualtrics")
    return Header(first + 1, last + 1, columns, above, tools)
