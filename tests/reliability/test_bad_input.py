"""Bad input: each case ends in a clear WorkshopKitError or a safe result; nothing changes.

One table of cases. Each case builds its input in ``tmp_path`` (nothing large is committed),
runs one call of the kit and states what must happen: an error of a given class whose
message names what was wrong, where, and what is allowed, or a safe result checked by the
case. On error, the store's logical content (a dump of every table) is unchanged; a file
the kit must not even open keeps its bytes.
"""

from __future__ import annotations

import io
import random
import resource
import sqlite3
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from workshop_kit.appreciation import load_appreciation, notes, save_note
from workshop_kit.content import load_checkin
from workshop_kit.errors import (
    ContentError,
    ImportRejected,
    InputError,
    StoreError,
    WorkshopKitError,
)
from workshop_kit.exercises import load_exercises
from workshop_kit.importers import import_file
from workshop_kit.session import Session
from workshop_kit.summary import build_summary
from workshop_kit.values import load_deck

from .helpers import file_digest, logical_digest, tree_listing

BIG = 100 * 1024 * 1024


@dataclass
class Ctx:
    """What a case works with: a 4-couple session and a folder of its own."""

    tmp: Path
    session: Session
    target: Path  # the store whose content must not change on error
    by_bytes: bool = False  # compare file bytes (the kit must not open it at all)
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.session.couple_codes()[0]

    @property
    def items(self) -> list[str]:
        return [i.id for i in self.session.content.instrument("checkin").items][:3]

    def wide_rows(self, values=("4", "3", "5"), code=None, partner="A", phase="before"):
        header = ["couple_code", "partner", "phase", *self.items]
        row = [code if code is not None else self.code, partner, phase, *values]
        return [header, row]

    def csv(self, rows, name="forms.csv", delimiter=",", encoding="utf-8", bom=False) -> Path:
        text = "\n".join(delimiter.join(r) for r in rows) + "\n"
        data = text.encode(encoding)
        path = self.tmp / name
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
        return path

    def xlsx(self, rows, name="forms.xlsx") -> Path:
        book = Workbook()
        sheet = book.active
        sheet.title = "answers"
        for row in rows:
            sheet.append(row)
        path = self.tmp / name
        book.save(path)
        return path

    def store_copy(self, name="other.sqlite") -> Path:
        path = self.tmp / name
        with Session.create(path, title="Other", couples=3, seed=4) as other:
            code = other.couple_codes()[0]
            for n, item in enumerate(self.items * 20):
                other.record_answer(code, "A", "before", "checkin", item, 1 + n % 5)
        return path

    def yaml(self, text: str | bytes, name="content.yaml") -> Path:
        path = self.tmp / name
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return path


@dataclass(frozen=True)
class Case:
    id: str
    run: Callable[[Ctx], Any]
    error: type[WorkshopKitError] | None = None
    names: tuple[str, ...] = ()  # every one of these must be in the message (case-insensitive)
    check: Callable[[Ctx, Any], None] | None = None
    setup: Callable[[Ctx], None] | None = None
    slow: bool = False


CASES: list[Case] = []


def case(id, error=None, names=(), check=None, setup=None, slow=False):
    def register(run):
        CASES.append(Case(id, run, error, tuple(names), check, setup, slow))
        return run

    return register


def imported(n_answers):
    def check(ctx: Ctx, report) -> None:
        assert report.answers == n_answers, report
        assert len(ctx.session.answers()) == n_answers

    return check


# -- content YAML --------------------------------------------------------------------
@case("yaml-invalid-syntax", ContentError, ("content.yaml", "line", "not valid yaml"))
def _(ctx):
    return load_checkin(ctx.yaml("schema_version: 1\ninstruments: [\n  - id: x\n"))


@case("yaml-top-level-list", ContentError, ("content.yaml", "mapping"))
def _(ctx):
    return load_checkin(ctx.yaml("- schema_version: 1\n"))


@case("yaml-no-schema-version", ContentError, ("content.yaml", "schema_version must be 1"))
def _(ctx):
    return load_checkin(ctx.yaml("instruments: []\n"))


@case("yaml-newer-schema-version", ContentError, ("content.yaml", "schema_version must be 1", "2"))
def _(ctx):
    return load_checkin(ctx.yaml("schema_version: 2\ninstruments: []\n"))


@case("yaml-windows-1252-bytes", ContentError, ("content.yaml", "utf-8"))
def _(ctx):
    return load_checkin(ctx.yaml("schema_version: 1\n# café\ninstruments: []\n".encode("cp1252")))


@case("yaml-item-min-above-max", ContentError, ("content.yaml", "item 'a1'", "'min' must be below"))
def _(ctx):
    return load_checkin(
        ctx.yaml(
            "schema_version: 1\ninstruments:\n- id: t\n  name: T\n  kind: items\n"
            "  subscales:\n  - id: s\n    name: S\n    items:\n"
            "    - {id: a1, text: Hi, min: 5, max: 1}\n"
        )
    )


@case("yaml-duplicate-item-ids", ContentError, ("content.yaml", "'a1'", "unique"))
def _(ctx):
    return load_checkin(
        ctx.yaml(
            "schema_version: 1\ninstruments:\n- id: t\n  name: T\n  kind: items\n"
            "  subscales:\n  - id: s\n    name: S\n    items:\n"
            "    - {id: a1, text: Hi, min: 1, max: 5}\n    - {id: a1, text: Ho, min: 1, max: 5}\n"
        )
    )


@case("yaml-unknown-instrument-kind", ContentError, ("content.yaml", "kind", "one of", "slider"))
def _(ctx):
    return load_checkin(
        ctx.yaml("schema_version: 1\ninstruments:\n- {id: t, name: T, kind: slider}\n")
    )


@case("yaml-values-deck-without-values", ContentError, ("values.yaml", "values", "missing"))
def _(ctx):
    return load_deck(ctx.yaml("schema_version: 1\n", name="values.yaml"))


@case("yaml-appreciation-empty", ContentError, ("appreciation.yaml",))
def _(ctx):
    return load_appreciation(ctx.yaml("schema_version: 1\n", name="appreciation.yaml"))


@case("yaml-exercises-empty", ContentError, ("exercises.yaml",))
def _(ctx):
    return load_exercises(ctx.yaml("schema_version: 1\n", name="exercises.yaml"))


# -- stores --------------------------------------------------------------------------
def _other(ctx, path, by_bytes=False):
    ctx.target, ctx.by_bytes = path, by_bytes
    return path


@case(
    "store-newer-schema",
    StoreError,
    ("other.sqlite", "newer version", "schema 99", "reads up to", "not changed"),
    setup=lambda ctx: _newer(ctx),
)
def _(ctx):
    return Session.open(ctx.target)


def _newer(ctx):
    path = _other(ctx, ctx.store_copy())
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()


def _corrupt(ctx, mutate):
    path = _other(ctx, ctx.store_copy(), by_bytes=True)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    path.write_bytes(mutate(data))


@case(
    "store-truncated-half",
    StoreError,
    ("other.sqlite", "damaged"),
    setup=lambda ctx: _corrupt(ctx, lambda d: bytes(d[: len(d) // 2])),
)
def _(ctx):
    return Session.open(ctx.target)


def _flip_page_header(data: bytearray) -> bytes:
    page = int.from_bytes(data[16:18], "big") or 65536
    middle = (len(data) // page // 2) * page
    rng = random.Random(9)
    for i in range(middle, middle + 32):
        data[i] = rng.randrange(256)
    return bytes(data)


@case(
    "store-corrupt-page-in-the-middle",
    StoreError,
    ("other.sqlite", "damaged"),
    setup=lambda ctx: _corrupt(ctx, _flip_page_header),
)
def _(ctx):
    with Session.open(ctx.target) as s:
        return build_summary(s)


def _flip_random(data: bytearray) -> bytes:
    rng = random.Random(3)
    for i in rng.sample(range(len(data) // 3, 2 * len(data) // 3), 64):
        data[i] ^= 1 << rng.randrange(8)
    return bytes(data)


def _opened_or_refused(ctx, result):
    # Bits flipped inside row data may go unnoticed by SQLite; then reading must still work.
    assert result is None or "session" in result


@case(
    "store-random-bits-flipped",
    check=_opened_or_refused,
    setup=lambda ctx: _corrupt(ctx, _flip_random),
)
def _(ctx):
    try:
        with Session.open(ctx.target) as s:
            return build_summary(s)
    except StoreError as exc:
        assert "damaged" in str(exc)
        return None


@case(
    "store-not-sqlite",
    StoreError,
    ("notes.sqlite", "not a session store"),
    setup=lambda ctx: _other(ctx, ctx.yaml("just some notes\n" * 10, "notes.sqlite"), True),
)
def _(ctx):
    return Session.open(ctx.target)


@case(
    "store-empty-file",
    StoreError,
    ("empty.sqlite", "not a session store"),
    setup=lambda ctx: _other(ctx, ctx.yaml(b"", "empty.sqlite"), True),
)
def _(ctx):
    return Session.open(ctx.target)


def _foreign(ctx):
    path = ctx.tmp / "foreign.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    _other(ctx, path, by_bytes=True)  # switching it to WAL would already change it


@case("store-foreign-sqlite", StoreError, ("foreign.sqlite", "not a session store"), setup=_foreign)
def _(ctx):
    return Session.open(ctx.target)


@case("store-missing", StoreError, ("nowhere.sqlite", "no session store"))
def _(ctx):
    return Session.open(ctx.tmp / "nowhere.sqlite")


@case("store-is-a-folder", StoreError, ("folder.sqlite", "no session store"))
def _(ctx):
    (ctx.tmp / "folder.sqlite").mkdir()
    return Session.open(ctx.tmp / "folder.sqlite")


# -- CSV -----------------------------------------------------------------------------
@case("csv-empty", ImportRejected, ("forms.csv", "empty", "header row"))
def _(ctx):
    return import_file(ctx.session, ctx.csv([]))


@case("csv-only-blank-lines", ImportRejected, ("forms.csv", "empty"))
def _(ctx):
    path = ctx.tmp / "forms.csv"
    path.write_text("\n\n\n", encoding="utf-8")
    return import_file(ctx.session, path)


@case("csv-header-only", ImportRejected, ("forms.csv", "header row but no rows"))
def _(ctx):
    return import_file(ctx.session, ctx.csv(ctx.wide_rows()[:1]))


@case("csv-tab-delimited", check=imported(3))
def _(ctx):
    return import_file(ctx.session, ctx.csv(ctx.wide_rows(), delimiter="\t"))


@case(
    "csv-pipe-delimited",
    ImportRejected,
    ("forms.csv", "one single column", "comma, semicolon or tab"),
)
def _(ctx):
    return import_file(ctx.session, ctx.csv(ctx.wide_rows(), delimiter="|"))


@case("csv-semicolon-delimited", check=imported(3))
def _(ctx):
    return import_file(ctx.session, ctx.csv(ctx.wide_rows(), delimiter=";"))


@case("csv-bom-prefixed", check=imported(3))
def _(ctx):
    return import_file(ctx.session, ctx.csv(ctx.wide_rows(), bom=True))


@case("csv-windows-1252", check=imported(3))
def _(ctx):
    rows = ctx.wide_rows()
    rows[0].append("name")
    rows[1].append("Zoë Müller–Señor")  # cp1252-only bytes; an ignored column
    return import_file(ctx.session, ctx.csv(rows, encoding="cp1252"))


@case("csv-utf16", check=imported(3))
def _(ctx):
    return import_file(ctx.session, ctx.csv(ctx.wide_rows(), encoding="utf-16"))


@case("csv-random-bytes", ImportRejected, ("forms.csv",))
def _(ctx):
    path = ctx.tmp / "forms.csv"
    path.write_bytes(random.Random(1).randbytes(4096))
    return import_file(ctx.session, path)


@case("csv-nul-bytes", ImportRejected, ("forms.csv",))
def _(ctx):
    path = ctx.csv(ctx.wide_rows())
    path.write_bytes(path.read_bytes().replace(b",4,", b",\x00\x00,"))
    return import_file(ctx.session, path)


@case("csv-duplicated-rows", ImportRejected, ("forms.csv", "row 3", "again", "row 2"))
def _(ctx):
    rows = ctx.wide_rows()
    return import_file(ctx.session, ctx.csv([*rows, rows[1]]))


def _already_imported(ctx: Ctx, report) -> None:
    assert report.already_imported, report
    assert len(ctx.session.answers()) == 3, "the second import wrote answers again"


@case(
    "csv-same-file-twice",
    check=_already_imported,
    setup=lambda ctx: import_file(ctx.session, ctx.csv(ctx.wide_rows())),
)
def _(ctx):
    return import_file(ctx.session, ctx.tmp / "forms.csv")


@case("csv-unknown-item", ImportRejected, ("forms.csv", "column d", "zz9"))
def _(ctx):
    rows = ctx.wide_rows()
    rows[0][3] = "zz9"
    return import_file(ctx.session, ctx.csv(rows))


@case("csv-unknown-couple", ImportRejected, ("forms.csv", "row 2", "'ZZZZ'", "allowed"))
def _(ctx):
    return import_file(ctx.session, ctx.csv(ctx.wide_rows(code="ZZZZ")))


@case("csv-bad-partner", ImportRejected, ("forms.csv", "row 2", "'C'", "allowed a or b"))
def _(ctx):
    return import_file(ctx.session, ctx.csv(ctx.wide_rows(partner="C")))


@case("csv-out-of-range", ImportRejected, ("forms.csv", "row 2", "'9'", "from 1 to 5"))
def _(ctx):
    return import_file(ctx.session, ctx.csv(ctx.wide_rows(values=("9", "3", "5"))))


@case("csv-negative", ImportRejected, ("forms.csv", "row 2", "'-1'", "from 1 to 5"))
def _(ctx):
    return import_file(ctx.session, ctx.csv(ctx.wide_rows(values=("-1", "3", "5"))))


@case("csv-text-in-number", ImportRejected, ("forms.csv", "row 2", "'lots'", "not a number"))
def _(ctx):
    return import_file(ctx.session, ctx.csv(ctx.wide_rows(values=("lots", "3", "5"))))


@case("csv-decimal", ImportRejected, ("forms.csv", "row 2", "'3.5'", "whole number"))
def _(ctx):
    return import_file(ctx.session, ctx.csv(ctx.wide_rows(values=("3.5", "3", "5"))))


@case("csv-formula-in-number", ImportRejected, ("forms.csv", "row 2", "=1+2", "not a number"))
def _(ctx):
    return import_file(ctx.session, ctx.csv(ctx.wide_rows(values=("=1+2", "3", "5"))))


@case("csv-ragged-row", ImportRejected, ("forms.csv", "row 2", "cells", "header row has"))
def _(ctx):
    rows = ctx.wide_rows()
    rows[1] += ["4", "4"]
    return import_file(ctx.session, ctx.csv(rows))


@case("csv-code-path-traversal", ImportRejected, ("forms.csv", "'../x'", "not a couple code"))
def _(ctx):
    return import_file(ctx.session, ctx.csv(ctx.wide_rows(code="../x")))


@case("file-wrong-suffix", ImportRejected, ("forms.json", "file type must be one of", ".csv"))
def _(ctx):
    return import_file(ctx.session, ctx.csv(ctx.wide_rows(), name="forms.json"))


@case("file-missing", ImportRejected, ("gone.csv", "no file"))
def _(ctx):
    return import_file(ctx.session, ctx.tmp / "gone.csv")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _big_file(ctx, name, head: list[list[str]], filler: bytes) -> Path:
    path = ctx.tmp / name
    with path.open("wb") as fh:
        fh.write(("\n".join(",".join(r) for r in head) + "\n").encode())
        written = fh.tell()
        block = filler * max(1, (1 << 20) // len(filler))
        while written < BIG:
            fh.write(block)
            written += len(block)
    ctx.data["peak_before"] = _peak_mb()
    return path


def _streamed(ctx, result):
    assert result.answers == 3
    assert _peak_mb() - ctx.data["peak_before"] < 80  # read in chunks, never all at once


@case("csv-100mb-mostly-blank-rows", check=_streamed, slow=True)
def _(ctx):
    filler = (" " * 2046 + "\n").encode()
    return import_file(ctx.session, _big_file(ctx, "big.csv", ctx.wide_rows(), filler))


@case("csv-100mb-pasted-many-times", ImportRejected, ("big.csv", "again"), slow=True)
def _(ctx):
    rows = ctx.wide_rows()
    path = _big_file(ctx, "big.csv", rows, (",".join(rows[1]) + "\n").encode())
    try:
        return import_file(ctx.session, path)
    finally:
        assert _peak_mb() - ctx.data["peak_before"] < 80


# -- XLSX ----------------------------------------------------------------------------
@case("xlsx-empty-workbook", ImportRejected, ("forms.xlsx", "empty"))
def _(ctx):
    return import_file(ctx.session, ctx.xlsx([]))


@case("xlsx-header-only", ImportRejected, ("forms.xlsx", "header row but no rows"))
def _(ctx):
    return import_file(ctx.session, ctx.xlsx(ctx.wide_rows()[:1]))


@case("xlsx-valid", check=imported(3))
def _(ctx):
    rows = ctx.wide_rows()
    rows[1][3:] = [4, 3, 5]
    return import_file(ctx.session, ctx.xlsx(rows))


@case("xlsx-not-a-zip", ImportRejected, ("forms.xlsx", "cannot be read as an .xlsx"))
def _(ctx):
    return import_file(ctx.session, ctx.yaml("couple_code,partner\n", name="forms.xlsx"))


@case("xlsx-truncated", ImportRejected, ("forms.xlsx", "cannot be read as an .xlsx"))
def _(ctx):
    path = ctx.xlsx(ctx.wide_rows())
    path.write_bytes(path.read_bytes()[:1500])
    return import_file(ctx.session, path)


@case("xlsx-zip-without-workbook", ImportRejected, ("forms.xlsx", "cannot be read as an .xlsx"))
def _(ctx):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return import_file(ctx.session, ctx.yaml(buffer.getvalue(), name="forms.xlsx"))


@case("xlsx-duplicated-rows", ImportRejected, ("forms.xlsx", "row 3", "again"))
def _(ctx):
    rows = ctx.wide_rows()
    return import_file(ctx.session, ctx.xlsx([*rows, rows[1]]))


@case("xlsx-unknown-item", ImportRejected, ("forms.xlsx", "column d", "zz9"))
def _(ctx):
    rows = ctx.wide_rows()
    rows[0][3] = "zz9"
    return import_file(ctx.session, ctx.xlsx(rows))


@case("xlsx-out-of-range", ImportRejected, ("forms.xlsx", "row 2", "'6'", "from 1 to 5"))
def _(ctx):
    rows = ctx.wide_rows()
    rows[1][3:] = [6, 3, 5]
    return import_file(ctx.session, ctx.xlsx(rows))


@case("xlsx-text-in-number", ImportRejected, ("forms.xlsx", "row 2", "'four'", "not a number"))
def _(ctx):
    rows = ctx.wide_rows()
    rows[1][3:] = ["four", 3, 5]
    return import_file(ctx.session, ctx.xlsx(rows))


@case(
    "xlsx-date-in-number",
    ImportRejected,
    ("forms.xlsx", "row 2", "2026", "allowed a whole number from 1 to 5"),
)
def _(ctx):
    import datetime

    rows = ctx.wide_rows()
    rows[1][3:] = [datetime.date(2026, 3, 4), 3, 5]
    return import_file(ctx.session, ctx.xlsx(rows))


# -- text: long, emoji, right-to-left --------------------------------------------------
@case("note-one-megabyte", InputError, ("note", "at most", "characters"))
def _(ctx):
    return save_note(ctx.session, ctx.code, "A", "I love you. " * 90_000)


EMOJI_RTL = "Thank you 🙏🏽 for every morning ☕ — شكراً لك على كل شيء — תודה 💛"


def _note_round_trip(ctx, note_id):
    [note] = notes(ctx.session, ctx.code, "A")
    assert note.id == note_id and note.text == EMOJI_RTL


@case("note-emoji-and-right-to-left", check=_note_round_trip)
def _(ctx):
    return save_note(ctx.session, ctx.code, "A", EMOJI_RTL)


def _longest_note(ctx, note_id):
    limit = load_appreciation().note_max_length
    [note] = notes(ctx.session, ctx.code, "A")
    assert len(note.text) == limit


@case("note-exactly-the-longest-allowed", check=_longest_note)
def _(ctx):
    limit = load_appreciation().note_max_length
    return save_note(ctx.session, ctx.code, "A", ("ب" * (limit - 1)) + "🙂")


def _title_round_trip(ctx, summary):
    assert summary["session"]["title"] == "Workshop 💞 ورشة עם זוגות"


@case("session-title-emoji-and-right-to-left", check=_title_round_trip)
def _(ctx):
    with Session.create(ctx.tmp / "rtl.sqlite", "Workshop 💞 ورشة עם זוגות", couples=3) as s:
        return build_summary(s)


@case("session-title-only-spaces", InputError, ("title", "empty"))
def _(ctx):
    return Session.create(ctx.tmp / "blank.sqlite", "   ", couples=3)


# -- couple codes used in file names -----------------------------------------------------
TRAVERSALS = {
    "dotdot-slash": "../x",
    "dotdot-backslash": "..\\x",
    "absolute-posix": "/etc/passwd",
    "absolute-windows": "C:\\Users\\x",
    "nul-byte": "AB\x00CD",
    "dot": ".",
}


def _nothing_written(ctx, _result=None):
    assert tree_listing(ctx.tmp / "out") == []


for _name, _code in TRAVERSALS.items():

    @case(f"couple-code-{_name}-add-couple", InputError, ("couple code", "2-12 letters or digits"))
    def _(ctx, code=_code):
        return ctx.session.add_couple(code)

    @case(f"couple-code-{_name}-save-charts", InputError, ("couple code", "2-12 letters or digits"))
    def _(ctx, code=_code):
        from workshop_kit.export.charts import save_couple_charts

        try:
            return save_couple_charts(ctx.session, code, ctx.tmp / "out")
        finally:
            _nothing_written(ctx)

    @case(f"couple-code-{_name}-take-home-pack", InputError, ("couple code", "2-12 letters"))
    def _(ctx, code=_code):
        from workshop_kit.export.packs import build_pack

        try:
            return build_pack(ctx.session, code, ctx.tmp / "out")
        finally:
            _nothing_written(ctx)


# -- the table -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "bad",
    [pytest.param(c, id=c.id, marks=[pytest.mark.slow] if c.slow else []) for c in CASES],
)
def test_bad_input_gets_a_clear_error_or_a_safe_result(bad: Case, session, tmp_path, ledger):
    ctx = Ctx(tmp_path, session, session.path)
    if bad.setup:
        bad.setup(ctx)
    digest = file_digest if ctx.by_bytes else logical_digest
    before = digest(ctx.target)
    if bad.error is None:
        result = bad.run(ctx)
        if bad.check:
            # a check asserts; one that returns a value (a bare comparison) checks nothing
            assert bad.check(ctx, result) is None, f"the check of {bad.id} returned a value"
        ledger.add("Bad input", "cases with a safe result")
    else:
        with pytest.raises(WorkshopKitError) as caught:
            bad.run(ctx)
        assert isinstance(caught.value, bad.error), repr(caught.value)
        message = str(caught.value)
        for needle in bad.names:
            assert needle.lower() in message.lower(), (needle, message)
        assert "Traceback" not in message and len(message) < 2_000
        assert digest(ctx.target) == before, "the store changed although the input was refused"
        ledger.add("Bad input", "cases answered with a clear error")
    if ctx.target != session.path and bad.error is not None:
        ledger.add("Bad input", "refused stores left unchanged")
    ledger.case("Bad input", bad.id)


def test_the_table_is_large_enough():
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)
