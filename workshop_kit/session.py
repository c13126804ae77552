"""Session, couples and participants over the store: the one write path of the kit.

Every public method that records something validates it first (couple code, partner,
phase, item, range) and then commits it at once. Nothing is cached in memory that the
store does not hold, so a kernel restart, a second notebook or a page reload loses nothing.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date as Date
from numbers import Integral
from pathlib import Path
from typing import Any

import pandas as pd

from . import partner_secret as _secret
from .content import CheckinContent, Instrument, load_checkin
from .couple_codes import spreadsheet_safe
from .errors import InputError, one_of
from .store import SOURCES, Store, now

PARTNERS = ("A", "B")
PHASES = ("before", "after")
DEFAULT_K = 3
# Letters and digits that cannot be mistaken for one another when read aloud or written.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_PATTERN = re.compile(r"^[A-Z0-9]{2,12}$")
ANSWER_COLUMNS = [
    "couple_code",
    "partner",
    "phase",
    "instrument",
    "item_id",
    "value",
    "source",
    "answered_at",
]


FLAG_PHASE = "flag_phase"  # entry kind: a yes/no flag kept per phase, key "<phase>:<flag>"
LANGUAGE = "language"  # entry kind: the language a partner chose, key "language"


def flag_entries(
    flag_id: str, value: bool, couple_code: str, partner: str, phase: str | None = None
) -> list[tuple]:
    """The entries that record one yes/no answer: the flag, and the flag of its phase.

    >>> for entry in flag_entries("wants_to_talk", True, "KM4Q", "A", "before"):
    ...     print(entry)
    ('flag', 'wants_to_talk', True, 'KM4Q', 'A')
    ('flag_phase', 'before:wants_to_talk', True, 'KM4Q', 'A')
    """
    entries = [("flag", flag_id, value, couple_code, partner)]
    if phase is not None:
        entries.append((FLAG_PHASE, f"{phase}:{flag_id}", value, couple_code, partner))
    return entries


def clean_title(title: str) -> str:
    r"""A session title with control and invisible format characters taken out.

    A paste from a word processor can bring tabs, line breaks, zero-width spaces or
    direction marks; each line break or tab becomes one space, the other control and
    format characters are dropped (zero-width joiners stay), and runs of spaces become one.

    Parameters
    ----------
    title : str
        The title as typed or pasted.

    Returns
    -------
    str
        The cleaned title (possibly empty).

    Examples
    --------
    >>> clean_title("Spring\tworkshop\r\n\u200b St Mary's\x07")
    "Spring workshop St Mary's"
    """
    kept = []
    for ch in str(title):
        if ch in "\t\n\r\v\f\u2028\u2029\x85":
            kept.append(" ")
        elif ch in "\u200c\u200d" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs"):
            kept.append(ch)  # joiners stay: emoji sequences and some scripts need them
    return " ".join("".join(kept).split())


@dataclass(frozen=True)
class Entry:
    """One non-numeric record (a value sort, a note, a word...), the latest for its key."""

    kind: str
    couple_code: str | None
    partner: str | None
    key: str
    value: Any
    source: str
    created_at: str


@dataclass(frozen=True)
class Answer:
    """One answer to record: ``value`` None means the item was skipped."""

    couple_code: str
    partner: str
    phase: str
    instrument: str
    item_id: str
    value: float | None


def normalise_code(code: str) -> str:
    """Couple codes are case-insensitive and ignore surrounding spaces.

    >>> normalise_code("  k7p3 ")
    'K7P3'
    """
    return str(code).strip().upper()


def check_code_format(code: str) -> str:
    """Return the normalised code, or raise when it could not be a couple code.

    >>> check_code_format("../etc")
    Traceback (most recent call last):
    ...
    workshop_kit.errors.InputError: couple code must be 2-12 letters or digits; not '../ETC'
    """
    code = normalise_code(code)
    if not CODE_PATTERN.match(code):
        raise InputError(f"couple code must be 2-12 letters or digits; not {code!r}")
    return code


def fresh_codes(n: int, rng: random.Random, existing: set[str]) -> list[str]:
    """``n`` new four-character couple codes, none of them in ``existing``.

    >>> fresh_codes(2, random.Random(1), set())
    ['FX9D', 'KEU9']
    """
    existing = set(existing)
    codes: list[str] = []
    while len(codes) < n:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(4))
        # never a code a spreadsheet turns into a number or a date (6E73 -> 6E+073)
        if code not in existing and spreadsheet_safe(code):
            existing.add(code)
            codes.append(code)
    return codes


class Session:
    """A workshop session: its couples and every answer they gave.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> session = Session.create(folder / "s.sqlite", title="Spring workshop", couples=2, seed=1)
    >>> code = session.couple_codes()[0]
    >>> session.record_answer(code, "A", "before", "checkin", "qt1", 4)
    >>> session.answers()[["partner", "item_id", "value"]].to_dict("records")
    [{'partner': 'A', 'item_id': 'qt1', 'value': 4.0}]
    """

    def __init__(self, store: Store, content: CheckinContent | None = None):
        self.store = store
        self.content = content or load_checkin(language=self.language)
        # Set by locations.current_session() to locations.check_still_current: a
        # notebook's session must stay the one that 00_start_here marks current; each
        # write calls it first (see _transaction). A hook, so session needs no import
        # of locations (which imports session).
        self.before_write: Callable[[Session], None] | None = None

    def _transaction(self):
        """The store's transaction, after checking this is still the current session.

        A notebook opened before 00_start_here switched sessions would otherwise keep
        writing into the old file without a word.
        """
        if self.before_write is not None:
            self.before_write(self)
        return self.store.transaction()

    # -- opening ------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: Path | str,
        title: str,
        date: str | None = None,
        couples: int = 0,
        k: int = DEFAULT_K,
        seed: int | None = None,
        content: CheckinContent | None = None,
        language: str = "en",
    ) -> Session:
        """Create a session file with ``couples`` fresh couple codes.

        The title is cleaned with :func:`clean_title` (control characters removed).
        ``language`` is the room's language (room views, the default for each partner).
        """
        from .i18n import check_language

        check_language(language)
        title = clean_title(title)
        if not title:
            raise InputError("title must not be empty")
        if not isinstance(k, int) or k < 1:
            raise InputError(f"k must be a whole number of at least 1; not {k!r}")
        if not isinstance(couples, int) or not 0 <= couples <= 200:
            raise InputError(f"couples must be a whole number from 0 to 200; not {couples!r}")
        date = date or Date.today().isoformat()
        try:
            Date.fromisoformat(date)
        except ValueError:
            raise InputError(f"date must be written YYYY-MM-DD; not {date!r}") from None
        rng = random.Random(seed)
        session_id = (
            str(uuid.UUID(int=rng.getrandbits(128), version=4))
            if seed is not None
            else str(uuid.uuid4())
        )
        codes = fresh_codes(couples, rng, set())

        def add_couples(conn) -> None:
            conn.executemany("INSERT INTO couples VALUES (?, ?)", [(c, now()) for c in codes])

        # the couples go in with the metadata: the file appears complete, or not at all
        store = Store.create(
            path,
            {
                "title": title,
                "date": date,
                "k": str(k),
                "session_id": session_id,
                "created_at": now(),
                "support_resources": "[]",
                "language": language,
            },
            populate=add_couples,
        )
        return cls(store, content)

    @classmethod
    def open(cls, path: Path | str, content: CheckinContent | None = None) -> Session:
        """Open an existing session file."""
        return cls(Store.open(path), content)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- session facts ------------------------------------------------------------
    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def title(self) -> str:
        return self.store.meta()["title"]

    @property
    def date(self) -> str:
        return self.store.meta()["date"]

    @property
    def k(self) -> int:
        """Smallest group shown in a room view; smaller groups are suppressed."""
        return int(self.store.meta().get("k", DEFAULT_K))

    @property
    def session_id(self) -> str:
        return self.store.meta()["session_id"]

    @property
    def language(self) -> str:
        """The room's language: room views, and each partner's until they choose theirs."""
        return self.store.meta().get("language", "en")

    def set_language(self, language: str) -> None:
        """Set the room's language (checked: a catalogue and content files must exist).

        The check-in content is reloaded with its words in ``language``; ids and scoring
        stay the same.
        """
        from .i18n import check_language

        check_language(language)
        self.store.set_meta("language", language)
        self.content = load_checkin(self.content.path, language=language)

    def partner_language(self, couple_code: str, partner: str) -> str:
        """The language this partner chose, or the room's when they chose none."""
        found = self.entries(LANGUAGE, couple_code, partner, key=LANGUAGE)
        return found[0].value if found else self.language

    def set_partner_language(
        self, couple_code: str, partner: str, language: str, source: str = "widget"
    ) -> None:
        """Store the language this partner chose at the start of their check-in.

        Raises
        ------
        InputError
            When the kit does not speak ``language``, or the participant is unknown.
        """
        from .i18n import check_language

        check_language(language)
        self.put_entry(LANGUAGE, LANGUAGE, language, couple_code, partner, source=source)

    def content_in(self, language: str) -> CheckinContent:
        """This session's check-in content with its words in ``language`` (same ids)."""
        if language == self.content.language:
            return self.content
        return load_checkin(self.content.path, language=language)

    @property
    def support_resources(self) -> list[dict[str, str]]:
        """Local places to find support, set by the facilitator for this session."""
        return json.loads(self.store.meta().get("support_resources", "[]"))

    def set_support_resources(self, resources: list[dict[str, str]]) -> None:
        """Set the "where to find support" list: each a dict with name, contact, note."""
        clean = []
        for i, res in enumerate(resources, start=1):
            if not isinstance(res, dict) or not str(res.get("name", "")).strip():
                raise InputError(f"support resource {i} needs a 'name'; got {res!r}")
            clean.append({k: str(res.get(k, "")).strip() for k in ("name", "contact", "note")})
        self.store.set_meta("support_resources", json.dumps(clean))

    @property
    def print_look(self) -> dict[str, str]:
        """A programme's own look on every printed page: ``programme``, ``footer``, ``accent``
        and ``logo_svg`` (only those set). See :meth:`set_print_look`."""
        return json.loads(self.store.meta().get("print_look", "{}"))

    def set_print_look(
        self,
        programme: str = "",
        footer: str = "",
        accent: str = "",
        logo_svg: str = "",
    ) -> None:
        """Set the programme's name, a footer line, an accent colour and a logo for print.

        ``accent`` is ``#RRGGBB`` dark enough to read as a title on white (contrast at
        least 4.5:1); ``logo_svg`` is the text of an SVG file (at most 200 kB). Empty
        values fall back to the kit's own. Nothing is changed when a value is refused.
        """
        look: dict[str, str] = {}
        for name, value, limit in (("programme", programme, 60), ("footer", footer, 120)):
            value = " ".join(str(value).split())
            if len(value) > limit:
                raise InputError(f"{name} must be at most {limit} characters; it has {len(value)}")
            if value:
                look[name] = value
        if accent:
            if not re.fullmatch(r"#[0-9A-Fa-f]{6}", accent):
                raise InputError(f"accent must be a colour like #0072B2; not {accent!r}")
            if _contrast_on_white(accent) < 4.5:
                raise InputError(
                    f"accent {accent} is too light to read on white paper (contrast "
                    f"{_contrast_on_white(accent):.1f}:1); choose a darker colour (4.5:1 or more)"
                )
            look["accent"] = accent.upper()
        if logo_svg:
            text = str(logo_svg)
            if len(text.encode()) > 200_000 or "<svg" not in text[:2000]:
                raise InputError("logo must be the text of an SVG file of at most 200 kB")
            look["logo_svg"] = text
        self.store.set_meta("print_look", json.dumps(look))

    # -- couples ------------------------------------------------------------------
    def couple_codes(self) -> list[str]:
        rows = self.store.conn.execute("SELECT code FROM couples ORDER BY created_at, code")
        return [r[0] for r in rows]

    def add_couple(self, code: str | None = None) -> str:
        """Add one couple, with a given code or a fresh random one; return the code."""
        if code is None:
            return self.add_couples(1)[0]
        code = check_code_format(code)
        if not spreadsheet_safe(code):
            raise InputError(
                f"couple code {code!r} would change in a spreadsheet (it reads as a number, "
                "a date or a yes/no value); choose one with letters, such as K7P3"
            )
        with self._transaction() as conn:
            if conn.execute("SELECT 1 FROM couples WHERE code = ?", (code,)).fetchone():
                raise InputError(f"couple code {code!r} is already in this session")
            conn.execute("INSERT INTO couples VALUES (?, ?)", (code, now()))
        return code

    def add_couples(self, n: int, rng: random.Random | None = None) -> list[str]:
        """Add ``n`` couples with fresh four-character codes, in one transaction."""
        codes = fresh_codes(n, rng or random.Random(), set(self.couple_codes()))
        with self._transaction() as conn:
            conn.executemany("INSERT INTO couples VALUES (?, ?)", [(c, now()) for c in codes])
        return codes

    def check_participant(self, couple_code: str, partner: str) -> tuple[str, str]:
        """Return the normalised (code, partner), or raise naming what is wrong."""
        code = normalise_code(couple_code)
        if code not in set(self.couple_codes()):
            raise InputError(
                f"couple code {code!r} is not in this session; known codes: "
                f"{', '.join(self.couple_codes()) or 'none yet'}"
            )
        partner_norm = str(partner).strip().upper()
        if partner_norm not in PARTNERS:
            raise one_of("partner", partner, PARTNERS)
        return code, partner_norm

    # -- answers ------------------------------------------------------------------
    def _check_answer(self, answer: Answer, codes: set[str]) -> tuple:
        code = normalise_code(answer.couple_code)
        if code not in codes:
            raise InputError(f"couple code {code!r} is not in this session")
        partner = str(answer.partner).strip().upper()
        if partner not in PARTNERS:
            raise one_of("partner", answer.partner, PARTNERS)
        if answer.phase not in PHASES:
            raise one_of("phase", answer.phase, PHASES)
        instrument = self.content.instrument(answer.instrument)
        lo, hi = _item_range(instrument, answer.item_id)
        value = answer.value
        if value is not None:
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise InputError(
                    f"answer to {answer.instrument}/{answer.item_id} must be a whole number "
                    f"from {lo} to {hi}; not {value!r}"
                ) from None
            if number != int(number) or not lo <= number <= hi:
                raise InputError(
                    f"answer to {answer.instrument}/{answer.item_id} must be a whole number "
                    f"from {lo} to {hi}; not {value!r}"
                )
            value = float(number)
        return (code, partner, answer.phase, answer.instrument, answer.item_id, value)

    def record_answer(
        self,
        couple_code: str,
        partner: str,
        phase: str,
        instrument: str,
        item_id: str,
        value: float | None,
        source: str = "widget",
    ) -> None:
        """Record one answer (``None`` = skipped) and commit it at once."""
        self.record_answers(
            [Answer(couple_code, partner, phase, instrument, item_id, value)], source=source
        )

    def record_answers(self, answers: Iterable[Answer], source: str = "widget") -> int:
        """Record many answers in one transaction: all of them land, or none (on any error)."""
        if source not in SOURCES:
            raise one_of("source", source, SOURCES)
        codes = set(self.couple_codes())
        rows = [self._check_answer(a, codes) for a in answers]
        stamp = now()
        with self._transaction() as conn:
            conn.executemany(
                "INSERT INTO answers (couple_code, partner, phase, instrument, item_id, value,"
                " source, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(*row, source, stamp) for row in rows],
            )
        return len(rows)

    def record_import(
        self,
        answers: Iterable[Answer],
        entries: Iterable[tuple],
        sha256: str,
        file_name: str,
        rows: int,
        source: str = "import",
        row_keys: Iterable[tuple] | None = None,
    ) -> bool:
        """Record a file's answers and (kind, key, value, couple_code, partner) entries
        together with its import marker, in one transaction.

        Without ``row_keys`` (the old way) a file is known by its bytes: returns False,
        writing nothing, when a file with this ``sha256`` was imported before. With
        ``row_keys`` -- (fingerprint, couple_code, partner, phase) per row -- rows are known
        by their content: returns False, writing nothing, when every row was imported
        before; the file marker is kept once per file.
        """
        marker = (sha256, str(file_name), int(rows))
        keys = None if row_keys is None else [tuple(k) for k in row_keys]
        return self._record_batch(answers, entries, source, marker, keys) is not None

    def record_form(
        self, answers: Iterable[Answer], entries: Iterable[tuple] = (), source: str = "paper"
    ) -> int:
        """Record a whole form: its answers and (kind, key, value, couple_code, partner)
        entries in one transaction, all or nothing. Returns the number of rows written."""
        return self._record_batch(answers, entries, source)

    def _record_batch(self, answers, entries, source, marker=None, row_keys=None) -> int | None:
        """Check everything, then write answers, entries and an import marker in one go."""
        if source not in SOURCES:
            raise one_of("source", source, SOURCES)
        codes = set(self.couple_codes())
        answer_rows = [self._check_answer(a, codes) for a in answers]
        entry_rows = []
        for kind, key, value, couple_code, partner in entries:
            code, partner = self.check_participant(couple_code, partner)
            entry_rows.append(
                (
                    kind,
                    code,
                    partner,
                    str(key),
                    None if value is None else json.dumps(value, ensure_ascii=False),
                )
            )
        stamp = now()
        with self._transaction() as conn:
            if marker is not None and row_keys is not None:
                fresh = [
                    key
                    for key in row_keys
                    if not conn.execute(
                        "SELECT 1 FROM import_rows WHERE fingerprint = ?", key[:1]
                    ).fetchone()
                ]
                if row_keys and not fresh:
                    return None
                conn.execute("INSERT OR IGNORE INTO imports VALUES (?, ?, ?, ?)", (*marker, stamp))
                conn.executemany(
                    "INSERT INTO import_rows VALUES (?, ?, ?, ?, ?, ?)",
                    [(*key, marker[0], stamp) for key in fresh],
                )
            elif marker is not None:
                if conn.execute("SELECT 1 FROM imports WHERE sha256 = ?", marker[:1]).fetchone():
                    return None
                conn.execute("INSERT INTO imports VALUES (?, ?, ?, ?)", (*marker, stamp))
            conn.executemany(
                "INSERT INTO answers (couple_code, partner, phase, instrument, item_id, value,"
                " source, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(*row, source, stamp) for row in answer_rows],
            )
            conn.executemany(
                "INSERT INTO entries (kind, couple_code, partner, key, value_json, source,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(*row, source, stamp) for row in entry_rows],
            )
        return len(answer_rows) + len(entry_rows)

    def answers(self, phase: str | None = None, instrument: str | None = None) -> pd.DataFrame:
        """The latest answer per participant, phase and item, in long form.

        Skipped items keep their row with ``value`` NaN: skipped is never zero.
        """
        where, params = [], []
        if phase is not None:
            where.append("phase = ?")
            params.append(phase)
        if instrument is not None:
            where.append("instrument = ?")
            params.append(instrument)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        query = (
            f"SELECT {', '.join(ANSWER_COLUMNS)} FROM answers WHERE id IN ("
            f" SELECT MAX(id) FROM answers {clause}"
            " GROUP BY couple_code, partner, phase, instrument, item_id)"
            " ORDER BY couple_code, partner, phase, instrument, id"
        )
        rows = self.store.conn.execute(query, params).fetchall()
        frame = pd.DataFrame(rows, columns=ANSWER_COLUMNS)
        frame["value"] = frame["value"].astype(float)
        return frame

    def answers_since(self, after_id: int = 0) -> pd.DataFrame:
        """Every answer row written after the row ``after_id``, oldest first.

        Rows are never changed or deleted once written (a new answer to the same item is
        a new row, and the latest wins), so a view that has read up to ``after_id`` stays
        up to date by reading only what this returns. Unlike :meth:`answers` it returns
        every row, superseded ones too, with its ``id``.

        Parameters
        ----------
        after_id : int
            The largest answer id already read; 0 for all of them.

        Returns
        -------
        pandas.DataFrame
            ``id`` and the columns of :meth:`answers`, in ``id`` order.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1)
        >>> code = s.couple_codes()[0]
        >>> s.record_answer(code, "A", "before", "checkin", "qt1", 4)
        >>> s.record_answer(code, "A", "before", "checkin", "qt1", 2)
        >>> s.answers_since(0)[["id", "value"]].to_dict("records")
        [{'id': 1, 'value': 4.0}, {'id': 2, 'value': 2.0}]
        >>> s.answers_since(2).empty
        True
        """
        if isinstance(after_id, bool) or not isinstance(after_id, Integral) or after_id < 0:
            raise InputError(f"after_id must be a whole number of at least 0; not {after_id!r}")
        rows = self.store.conn.execute(
            f"SELECT id, {', '.join(ANSWER_COLUMNS)} FROM answers WHERE id > ? ORDER BY id",
            (int(after_id),),
        ).fetchall()
        frame = pd.DataFrame(rows, columns=["id", *ANSWER_COLUMNS])
        frame["value"] = frame["value"].astype(float)
        return frame

    def answered_items(
        self, couple_code: str, partner: str, phase: str
    ) -> dict[tuple, float | None]:
        """Map (instrument, item_id) -> latest value for one participant and phase."""
        code, partner = self.check_participant(couple_code, partner)
        rows = self.store.conn.execute(
            "SELECT instrument, item_id, value FROM answers WHERE id IN ("
            " SELECT MAX(id) FROM answers WHERE couple_code = ? AND partner = ? AND phase = ?"
            " GROUP BY instrument, item_id)",
            (code, partner, phase),
        ).fetchall()
        return {(inst, item): value for inst, item, value in rows}

    # -- what moved: cheap reads for live views and forms ---------------------------
    def version(self) -> tuple[int | None, int | None, int]:
        """A value that changes whenever an answer, an entry or a couple is added.

        Returns
        -------
        tuple of (int or None, int or None, int)
            ``(newest answer id, newest entry id, number of couples)``; an id is None
            while its table is empty. Rows are only ever added, so equal versions mean
            nothing new was stored.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=2)
        >>> s.version()
        (None, None, 2)
        >>> s.record_answer(s.couple_codes()[0], "A", "before", "checkin", "qt1", 4)
        >>> s.version()
        (1, None, 2)
        """
        conn = self.store.conn
        return (
            conn.execute("SELECT MAX(id) FROM answers").fetchone()[0],
            conn.execute("SELECT MAX(id) FROM entries").fetchone()[0],
            conn.execute("SELECT COUNT(*) FROM couples").fetchone()[0],
        )

    def last_ids(self, entry_kind: str | None = None) -> tuple[int | None, int | None]:
        """The newest answer id and the newest entry id (of one kind when given).

        Parameters
        ----------
        entry_kind : str, optional
            Count only entries of this kind (``"flag"``, say); all entries when None.

        Returns
        -------
        tuple of (int or None, int or None)
            ``(newest answer id, newest entry id)``; None while there is none.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1)
        >>> s.last_ids("flag")
        (None, None)
        """
        conn = self.store.conn
        answers = conn.execute("SELECT MAX(id) FROM answers").fetchone()[0]
        if entry_kind is None:
            entries = conn.execute("SELECT MAX(id) FROM entries").fetchone()[0]
        else:
            entries = conn.execute(
                "SELECT MAX(id) FROM entries WHERE kind = ?", (entry_kind,)
            ).fetchone()[0]
        return answers, entries

    def participants_answered(self) -> set[tuple[str, str, str]]:
        """Who has given at least one check-in answer, per phase.

        Returns
        -------
        set of tuple of (str, str, str)
            ``(couple_code, partner, phase)`` for every participant with an answer row
            in that phase; a skipped answer (value None) counts, as the form was handed in.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1)
        >>> code = s.couple_codes()[0]
        >>> s.record_answer(code, "B", "before", "checkin", "qt1", None)
        >>> s.participants_answered() == {(code, "B", "before")}
        True
        """
        return {
            tuple(row)
            for row in self.store.conn.execute(
                "SELECT DISTINCT couple_code, partner, phase FROM answers"
            )
        }

    def participants_per_phase(self) -> dict[str, int]:
        """How many participants gave at least one (not skipped) answer, per phase.

        Returns
        -------
        dict of str to int
            ``phase -> number of distinct (couple, partner)``; a phase nobody answered
            is absent.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1)
        >>> code = s.couple_codes()[0]
        >>> s.record_answer(code, "A", "before", "checkin", "qt1", 4)
        >>> s.record_answer(code, "B", "before", "checkin", "qt1", None)
        >>> s.participants_per_phase()
        {'before': 1}
        """
        rows = self.store.conn.execute(
            "SELECT phase, COUNT(DISTINCT couple_code || partner) FROM answers"
            " WHERE value IS NOT NULL GROUP BY phase"
        ).fetchall()
        return {phase: int(n) for phase, n in rows}

    # -- imports held (see importers/) ---------------------------------------------
    def import_counts(self) -> tuple[int, int, pd.DataFrame]:
        """What was imported so far: files, rows, and people per check-in.

        Returns
        -------
        files : int
            Files recorded in ``imports`` (with a row imported, or by an older kit).
        rows : int
            Rows imported, each once.
        people : pandas.DataFrame
            ``phase`` (``"any"`` when a row named none), ``n`` distinct people; one row
            per phase, sorted. Not k-suppressed: callers pass it through ``tally``.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1)
        >>> files, rows, people = s.import_counts()
        >>> (files, rows, len(people))
        (0, 0, 0)
        """
        conn = self.store.conn
        files = conn.execute("SELECT COUNT(*) FROM imports").fetchone()[0]
        rows = conn.execute("SELECT COUNT(*) FROM import_rows").fetchone()[0]
        people = pd.DataFrame(
            conn.execute(
                "SELECT COALESCE(phase, 'any'), COUNT(DISTINCT couple_code || ':' || partner) "
                "FROM import_rows GROUP BY 1 ORDER BY 1"
            ).fetchall(),
            columns=["phase", "n"],
        )
        return int(files), int(rows), people

    def imported_fingerprints(self, fingerprints: Iterable[str]) -> set[str]:
        """Which of these row fingerprints were imported before.

        Parameters
        ----------
        fingerprints : iterable of str
            Row fingerprints (``ImportRow.fingerprint()``), any number; asked 500 at a time.

        Returns
        -------
        set of str
            The ones found in ``import_rows``.
        """
        prints = list(fingerprints)
        known: set[str] = set()
        conn = self.store.conn
        for start in range(0, len(prints), 500):
            chunk = prints[start : start + 500]
            marks = ",".join("?" * len(chunk))
            known |= {
                r[0]
                for r in conn.execute(
                    f"SELECT fingerprint FROM import_rows WHERE fingerprint IN ({marks})", chunk
                )
            }
        return known

    def imported_whole_file(self, sha256: str) -> bool:
        """Whether an older kit imported this very file (recorded without its rows).

        Parameters
        ----------
        sha256 : str
            The file's SHA-256, hex.

        Returns
        -------
        bool
            True when ``imports`` holds the file but ``import_rows`` has none of its rows.
        """
        return (
            self.store.conn.execute(
                "SELECT 1 FROM imports i WHERE sha256 = ? AND NOT EXISTS "
                "(SELECT 1 FROM import_rows r WHERE r.file_sha256 = i.sha256)",
                (sha256,),
            ).fetchone()
            is not None
        )

    def latest_answers_with_time(self) -> dict[tuple, tuple]:
        """The latest stored answer per item and person, with when it was recorded.

        Returns
        -------
        dict
            ``(couple_code, partner, phase, instrument, item_id) -> (value, answered_at)``,
            ``answered_at`` an ISO 8601 UTC time.
        """
        latest: dict[tuple, tuple] = {}
        for *key, value, stamp in self.store.conn.execute(
            "SELECT couple_code, partner, phase, instrument, item_id, value, answered_at "
            "FROM answers WHERE id IN (SELECT MAX(id) FROM answers "
            "GROUP BY couple_code, partner, phase, instrument, item_id)"
        ):
            latest[tuple(key)] = (value, stamp)
        return latest

    # -- flags (consent, wants to talk) -----------------------------------------
    def set_flag(
        self,
        couple_code: str,
        partner: str,
        flag_id: str,
        value: bool,
        source: str = "widget",
        phase: str | None = None,
    ) -> None:
        """Record a yes/no flag from the check-in.

        The flag's current value is the latest answer across phases (what consent needs);
        with ``phase`` the answer is also kept for that phase, and every answer stays in
        the history that :meth:`flag_requests` reads, so a later "No" never erases an
        earlier "I would like to talk to someone".
        """
        ids = [f.id for f in self.content.flags]
        if flag_id not in ids:
            raise one_of("flag", flag_id, ids)
        if not isinstance(value, bool):
            raise InputError(f"flag {flag_id!r} must be True or False; not {value!r}")
        if phase is not None and phase not in PHASES:
            raise one_of("phase", phase, PHASES)
        self.put_entries(flag_entries(flag_id, value, couple_code, partner, phase), source)

    def flag_requests(self, flag_id: str) -> pd.DataFrame:
        """Everyone who ever answered yes to ``flag_id``, whatever they answered later.

        Returns
        -------
        pandas.DataFrame
            ``couple_code, partner, phase``: one row per participant and phase in which
            they said yes ("before", "after", or "any" when the phase was not recorded,
            as for an import), sorted.
        """
        rows = self.store.conn.execute(
            "SELECT DISTINCT kind, couple_code, partner, key FROM entries"
            " WHERE value_json = 'true' AND ((kind = 'flag' AND key = ?)"
            " OR (kind = ? AND key IN (?, ?)))",
            (flag_id, FLAG_PHASE, f"before:{flag_id}", f"after:{flag_id}"),
        ).fetchall()
        phased = {(c, p, key.split(":", 1)[0]) for kind, c, p, key in rows if kind == FLAG_PHASE}
        with_phase = {(c, p) for c, p, _ in phased}
        anytime = {(c, p, "any") for kind, c, p, _ in rows if kind == "flag"}
        found = sorted(phased | {r for r in anytime if r[:2] not in with_phase})
        return pd.DataFrame(found, columns=["couple_code", "partner", "phase"])

    def flag(self, couple_code: str, partner: str, flag_id: str) -> bool | None:
        """The latest value of a flag, or None when the participant never answered it."""
        found = self.entries("flag", couple_code, partner, key=flag_id)
        return found[0].value if found else None

    def consents(self, couple_code: str, partner: str) -> bool:
        """Whether this partner agreed that the other may see their individual scores."""
        return self.flag(couple_code, partner, "consent") is True

    # -- entries (everything that is not a numeric answer) ----------------------
    def put_entry(
        self,
        kind: str,
        key: str,
        value: Any,
        couple_code: str | None = None,
        partner: str | None = None,
        source: str = "widget",
    ) -> None:
        """Append one entry (``value`` None withdraws the key) and commit it at once."""
        self.put_entries([(kind, key, value, couple_code, partner)], source=source)

    def put_entries(self, entries: Iterable[tuple], source: str = "widget") -> int:
        """Append many (kind, key, value, couple_code, partner) entries in one transaction."""
        if source not in SOURCES:
            raise one_of("source", source, SOURCES)
        rows = []
        for kind, key, value, couple_code, partner in entries:
            if couple_code is not None:
                couple_code, partner = (
                    self.check_participant(couple_code, partner)
                    if partner is not None
                    else (self._check_couple(couple_code), None)
                )
            try:
                value_json = None if value is None else json.dumps(value, ensure_ascii=False)
            except TypeError as exc:
                raise InputError(f"{kind} entry {key!r} cannot be stored: {exc}") from None
            rows.append((kind, couple_code, partner, str(key), value_json, source, now()))
        with self._transaction() as conn:
            conn.executemany(
                "INSERT INTO entries (kind, couple_code, partner, key, value_json, source,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        return len(rows)

    def put_entry_if_unset(
        self,
        kind: str,
        key: str,
        value: Any,
        couple_code: str,
        partner: str,
        source: str = "widget",
    ) -> bool:
        """Append one entry only when its key holds nothing yet (or was withdrawn).

        The check and the write are one transaction, so two devices setting the same key at
        once cannot both succeed. Returns True when written, False when a value was there.
        """
        if source not in SOURCES:
            raise one_of("source", source, SOURCES)
        if value is None:
            raise InputError(f"{kind} entry {key!r}: put_entry_if_unset needs a value, not None")
        code, partner = self.check_participant(couple_code, partner)
        try:
            value_json = json.dumps(value, ensure_ascii=False)
        except TypeError as exc:
            raise InputError(f"{kind} entry {key!r} cannot be stored: {exc}") from None
        with self._transaction() as conn:
            latest = conn.execute(
                "SELECT value_json FROM entries WHERE id = (SELECT MAX(id) FROM entries"
                " WHERE kind = ? AND couple_code = ? AND partner = ? AND key = ?)",
                (kind, code, partner, str(key)),
            ).fetchone()
            if latest is not None and latest[0] is not None:
                return False
            conn.execute(
                "INSERT INTO entries (kind, couple_code, partner, key, value_json, source,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (kind, code, partner, str(key), value_json, source, now()),
            )
        return True

    def erase_entry(
        self,
        kind: str,
        key: str,
        couple_code: str | None = None,
        partner: str | None = None,
        source: str = "widget",
    ) -> int:
        """Withdraw a key and delete every earlier value it held, so no old text stays.

        Unlike ``put_entry(kind, key, None, ...)``, which appends a withdrawing row and
        keeps the history, this deletes the key's rows and appends one withdrawing row (so
        entry ids keep growing for views that follow them). With SQLite's ``secure_delete``
        (set on every connection by the store) the deleted bytes are overwritten with zeros.

        Returns
        -------
        int
            How many rows holding a value were deleted.
        """
        if source not in SOURCES:
            raise one_of("source", source, SOURCES)
        if couple_code is not None:
            couple_code, partner = (
                self.check_participant(couple_code, partner)
                if partner is not None
                else (self._check_couple(couple_code), None)
            )
        where = "kind = ? AND key = ? AND couple_code IS ? AND partner IS ?"
        params = (kind, str(key), couple_code, partner)
        with self._transaction() as conn:
            deleted = conn.execute(
                f"DELETE FROM entries WHERE {where} AND value_json IS NOT NULL", params
            ).rowcount
            conn.execute(f"DELETE FROM entries WHERE {where}", params)
            conn.execute(
                "INSERT INTO entries (kind, couple_code, partner, key, value_json, source,"
                " created_at) VALUES (?, ?, ?, ?, NULL, ?, ?)",
                (kind, couple_code, partner, str(key), source, now()),
            )
        self.store.checkpoint()
        return deleted

    # -- partner secrets (see partner_secret.py) ------------------------------------
    def partner_secret_is_set(self, couple_code: str, partner: str) -> bool:
        """Whether this partner has set their secret (and it was not reset since)."""
        return _secret.is_set(self, couple_code, partner)

    def set_partner_secret(self, couple_code: str, partner: str, secret: str) -> None:
        """Set this partner's secret (4-40 letters or digits; only a salted hash is kept).

        Raises
        ------
        InputError
            When the secret is too short or long or not letters and digits, when a secret
            is already set, or for an unknown couple code or partner.
        """
        _secret.set_secret(self, couple_code, partner, secret)

    def check_partner_secret(self, couple_code: str, partner: str, secret: str) -> bool:
        """Whether ``secret`` is this partner's secret (False when none is set)."""
        return _secret.check_secret(self, couple_code, partner, secret)

    def reset_partner_secret(self, couple_code: str, partner: str) -> None:
        """Forget this partner's secret (facilitator), deleting its stored hash."""
        _secret.reset_secret(self, couple_code, partner)

    def _check_couple(self, couple_code: str) -> str:
        code = normalise_code(couple_code)
        if code not in set(self.couple_codes()):
            raise InputError(f"couple code {code!r} is not in this session")
        return code

    def entries(
        self,
        kind: str,
        couple_code: str | None = None,
        partner: str | None = None,
        key: str | None = None,
    ) -> list[Entry]:
        """The latest entry per (couple, partner, key) of a kind; withdrawn keys left out."""
        where, params = ["kind = ?"], [kind]
        for column, value in (("couple_code", couple_code), ("partner", partner), ("key", key)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(normalise_code(value) if column != "key" else value)
        rows = self.store.conn.execute(
            "SELECT kind, couple_code, partner, key, value_json, source, created_at FROM entries"
            " WHERE id IN (SELECT MAX(id) FROM entries WHERE "
            + " AND ".join(where)
            + " GROUP BY couple_code, partner, key) ORDER BY id",
            params,
        ).fetchall()
        return [
            Entry(kind, code, partner, key, json.loads(value), source, created)
            for kind, code, partner, key, value, source, created in rows
            if value is not None
        ]


def _item_range(instrument: Instrument, item_id: str) -> tuple[int, int]:
    if instrument.kind == "picture":
        if item_id != instrument.id:
            raise InputError(
                f"a picture scale has one item, named like the instrument {instrument.id!r}; "
                f"not {item_id!r}"
            )
        return instrument.min, instrument.max
    try:
        item = instrument.item(item_id)
    except KeyError:
        raise one_of(
            f"item of {instrument.id}", item_id, [i.id for i in instrument.items]
        ) from None
    return item.min, item.max


def _contrast_on_white(colour: str) -> float:
    """WCAG contrast ratio of ``#RRGGBB`` text on white (1 to 21).

    >>> round(_contrast_on_white("#000000"))
    21
    """
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)
