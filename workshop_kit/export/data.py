"""Session data for outcome reporting: tidy CSV and XLSX tables with a data dictionary.

One row per observation, snake_case columns, a ``session_id`` on every row so tables from
several sessions can be pooled. Text is neutralised against formula injection before it
is written, so a cell a participant or facilitator typed can never run in a spreadsheet.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..results import IOS_ID, checkin_results
from ..session import Session
from .private_files import private_file, private_folder

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TABLES = (
    "sessions",
    "answers",
    "scores",
    "changes",
    "reliability",
    "room_change",
    "participants",
    "values_sorts",
    "appreciation_words",
)

# table -> column -> (type, description). Every column a table holds is described here;
# a test checks that no column is left out.
DICTIONARY: dict[str, dict[str, tuple[str, str]]] = {
    "sessions": {
        "session_id": ("text", "Unique id of the workshop session."),
        "title": ("text", "Session title set by the facilitator."),
        "date": ("date", "Date of the workshop, YYYY-MM-DD."),
        "k": ("integer", "Smallest group shown in room views; smaller groups were hidden."),
        "couples": ("integer", "Number of couple codes in the session."),
        "language": (
            "text",
            "The room's language (en, es): room views and the default for each partner.",
        ),
    },
    "answers": {
        "session_id": ("text", "Unique id of the workshop session."),
        "couple_code": ("text", "The couple's code (no names are stored)."),
        "partner": ("text", "A or B: which partner of the couple answered."),
        "phase": ("text", "before or after: the opening or the closing check-in."),
        "instrument": ("text", "Questionnaire id: checkin, ios or a published measure."),
        "item_id": ("text", "Item id within the instrument (see the check-in content)."),
        "value": (
            "number",
            "The answer as given (reversed items not yet mirrored); blank = skipped.",
        ),
        "source": ("text", "How the answer arrived: widget, paper, import, demo or phone."),
        "answered_at": ("timestamp", "When the answer was recorded (UTC, ISO 8601)."),
    },
    "scores": {
        "session_id": ("text", "Unique id of the workshop session."),
        "couple_code": ("text", "The couple's code."),
        "partner": ("text", "A or B: which partner of the couple."),
        "phase": ("text", "before or after: the opening or the closing check-in."),
        "measure": ("text", "checkin (a theme score), ios (closeness circles) or a total."),
        "subscale": ("text", "Theme id for checkin; the measure id otherwise."),
        "subscale_name": ("text", "The theme or measure name as shown to participants."),
        "score": (
            "number",
            "Mean of the answered items (themes, 1-5), the circle chosen (ios, 1-7) or the "
            "total (summed measures); blank when too few items were answered.",
        ),
        "n_answered": ("integer", "Items answered for this score."),
        "n_items": ("integer", "Items in this theme or measure."),
        "band": ("text", "Cut-off band of a total (for example below the distress cut-off)."),
    },
    "changes": {
        "session_id": ("text", "Unique id of the workshop session."),
        "couple_code": ("text", "The couple's code."),
        "partner": ("text", "A or B: which partner of the couple."),
        "measure": ("text", "checkin, ios or a summed measure."),
        "subscale": ("text", "Theme id for checkin; the measure id otherwise."),
        "before": ("number", "Score at the opening check-in."),
        "after": ("number", "Score at the closing check-in."),
        "change": ("number", "after minus before; blank without both."),
        "rci": (
            "number",
            "Reliable Change Index (Jacobson & Truax 1991): change / S_diff, "
            "S_diff = SD·√2·√(1−r); see the reliability table of the results notebook.",
        ),
        "category": (
            "text",
            "improved, no reliable change or worsened (|RCI| > 1.96); not estimable when "
            "the reliability table has no usable reliability and SD (estimable = no).",
        ),
    },
    "reliability": {
        "session_id": ("text", "Unique id of the workshop session."),
        "measure": ("text", "checkin, ios or a summed measure."),
        "subscale": ("text", "Theme id for checkin; the measure id otherwise."),
        "reliability": (
            "number",
            "r used for reliable change: published, or Cronbach's alpha of this session's "
            "complete 'before' answers; blank when it could not be worked out.",
        ),
        "kind": ("text", "internal consistency or test-retest: which reliability r is."),
        "sd": ("number", "SD of the 'before' scores used (a published norm's, or this session's)."),
        "n": ("integer", "People behind the room's own estimate (complete 'before' answers)."),
        "estimable": (
            "yes/no",
            "Reliable change can be worked out: 0 < r < 1, SD > 0 and, for the room's own "
            "estimate, at least 10 people.",
        ),
        "source": ("text", "Where r and the SD come from."),
        "warning": ("text", "Why reliable change is not estimable; blank when it is."),
    },
    "room_change": {
        "session_id": ("text", "Unique id of the workshop session."),
        "measure": ("text", "checkin, ios or a summed measure."),
        "subscale": ("text", "Theme id for checkin; the measure id otherwise."),
        "n": ("integer", "People with a score before and after."),
        "couples": ("integer", "Couples with at least one such partner."),
        "mean_before": ("number", "Mean 'before' score of those people."),
        "mean_after": ("number", "Mean 'after' score of those people."),
        "mean_change": ("number", "Mean change (after minus before)."),
        "ci_low": (
            "number",
            "95% interval of the mean change, low end: Student t with each couple as one "
            "unit (cluster-robust, couples − 1 degrees of freedom), clipped to the scale; "
            "blank under 3 couples.",
        ),
        "ci_high": ("number", "95% interval of the mean change, high end."),
        "g_z": (
            "number",
            "Hedges' g_z: mean change / SD of the changes, times J = 1 − 3/(4(n − 1) − 1).",
        ),
        "g_low": ("number", "95% interval of g_z, low end (delta method, couples as units)."),
        "g_high": ("number", "95% interval of g_z, high end."),
        "improved": ("integer", "People with a reliable rise (RCI > 1.96)."),
        "no_change": ("integer", "People whose change is within the RCI threshold."),
        "worsened": ("integer", "People with a reliable fall (RCI < −1.96)."),
        "not_estimable": ("integer", "People whose change could not be classified."),
        "both_improved": ("integer", "Couples where both partners improved reliably."),
        "one_improved": ("integer", "Couples where one partner improved reliably."),
        "neither_improved": ("integer", "Couples where both were classified, neither improved."),
        "couples_not_estimable": (
            "integer",
            "Couples where a partner has no before and after, or could not be classified.",
        ),
    },
    "participants": {
        "session_id": ("text", "Unique id of the workshop session."),
        "couple_code": ("text", "The couple's code."),
        "partner": ("text", "A or B: which partner of the couple."),
        "consent": (
            "yes/no",
            "Agreed that the partner may see their individual scores; blank = not answered.",
        ),
        "wants_to_talk": (
            "yes/no",
            "Asked to talk to someone from the team; blank = not answered.",
        ),
        "language": (
            "text",
            "The language this partner chose for their check-in (en, es). Ids and scoring "
            "are the same in every language.",
        ),
        "validated_language": (
            "yes/no",
            "no = the check-in was taken in the kit's own translation, which is NOT "
            "VALIDATED IN THIS LANGUAGE (only the English wording is the kit's original); "
            "compare scores across languages with care. Published measures (CSI-4) carry "
            "the wording the facilitator added.",
        ),
    },
    "values_sorts": {
        "session_id": ("text", "Unique id of the workshop session."),
        "couple_code": ("text", "The couple's code."),
        "partner": ("text", "A or B: which partner of the couple."),
        "value_id": ("text", "Id of the value card in the deck."),
        "value_name": ("text", "The value's name as printed on the card."),
        "pile": ("text", "very, important or not (important)."),
        "rank": ("integer", "Place in the top 5 (1 = most important); blank when not ranked."),
    },
    "appreciation_words": {
        "session_id": ("text", "Unique id of the workshop session."),
        "couple_code": ("text", "The couple's code."),
        "partner": ("text", "A or B: which partner of the couple."),
        "word": (
            "text",
            'One word the participant gave for "what I appreciate" (free text, '
            "neutralised: a leading = + - @ gets an apostrophe).",
        ),
    },
}
DICTIONARY_COLUMNS = ["table", "column", "type", "description"]


def neutralise(value: object) -> object:
    """Make a text cell safe to open in a spreadsheet: no formula can start it.

    Text starting with ``= + - @``, a tab or a carriage return gets a leading apostrophe,
    the usual defence against CSV/formula injection. Numbers and blanks are unchanged.

    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("-3"), neutralise(-3.0), neutralise("kind words"), neutralise(None)
    ("'-3", -3.0, 'kind words', None)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell of ``frame`` neutralised (a copy)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def data_dictionary(tables: Iterable[str] = TABLES) -> pd.DataFrame:
    """One row per column of every table: ``table, column, type, description``."""
    rows = [
        (table, column, kind, text)
        for table in tables
        for column, (kind, text) in DICTIONARY[table].items()
    ]
    return pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)


# -- the tables ---------------------------------------------------------------------
def _ordered(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    columns = list(DICTIONARY[table])
    return frame.reindex(columns=columns)


def sessions_table(session: Session) -> pd.DataFrame:
    row = {
        "session_id": session.session_id,
        "title": session.title,
        "date": session.date,
        "k": session.k,
        "couples": len(session.couple_codes()),
        "language": session.language,
    }
    return _ordered(pd.DataFrame([row]), "sessions")


def answers_table(session: Session) -> pd.DataFrame:
    """Every latest answer in long form (skipped items kept, value blank)."""
    return _ordered(session.answers().assign(session_id=session.session_id), "answers")


def scores_table(session: Session) -> pd.DataFrame:
    """Scores per participant, phase and theme or measure."""
    results = checkin_results(session)
    names = results.subscale_names
    frames = [results.theme_scores.assign(measure="checkin")]
    frames.append(results.ios.assign(measure=IOS_ID, subscale=IOS_ID, n_answered=1, n_items=1))
    for inst_id, totals in results.totals.items():
        n_items = len(session.content.instrument(inst_id).items)
        frames.append(
            totals.rename(columns={"total": "score"}).assign(
                measure=inst_id, subscale=inst_id, n_items=n_items
            )
        )
    frame = pd.concat(frames, ignore_index=True)
    frame["subscale_name"] = frame["subscale"].map(names)
    frame["session_id"] = session.session_id
    frame = _ordered(frame, "scores")
    for column in ("n_answered", "n_items"):
        frame[column] = frame[column].astype("Int64")
    return frame


def changes_table(session: Session) -> pd.DataFrame:
    """Before, after, change and reliable change per participant and theme or measure."""
    changes = checkin_results(session).changes
    return _ordered(changes.assign(session_id=session.session_id), "changes")


def reliability_table(session: Session) -> pd.DataFrame:
    """The reliability and SD behind reliable change, per measure and theme."""
    frame = checkin_results(session).reliability.assign(session_id=session.session_id)
    frame["estimable"] = frame["estimable"].map({True: "yes", False: "no"})
    frame = _ordered(frame, "reliability")
    frame["n"] = frame["n"].astype("Int64")
    return frame


def room_change_table(session: Session) -> pd.DataFrame:
    """The room's before/after per measure and theme, with effect sizes, all figures.

    :func:`workshop_kit.scoring.change_summary` of the participants' changes: the same
    figures the results page publishes, before any of them is withheld (this export
    holds every answer anyway).
    """
    from ..scoring import change_summary

    results = checkin_results(session)
    paired = results.changes.dropna(subset=["change"])
    if paired.empty:
        return pd.DataFrame(columns=list(DICTIONARY["room_change"]))
    table = change_summary(paired, ["measure", "subscale"], "couple_code", bounds=results.bounds)
    return _ordered(table.assign(session_id=session.session_id), "room_change")


def participants_table(session: Session) -> pd.DataFrame:
    """The yes/no answers of each participant (consent, wanting to talk)."""
    rows = []
    flag_ids = [flag.id for flag in session.content.flags]
    for code in session.couple_codes():
        for partner in ("A", "B"):
            row = {"session_id": session.session_id, "couple_code": code, "partner": partner}
            for flag_id in flag_ids:
                value = session.flag(code, partner, flag_id)
                row[flag_id] = None if value is None else ("yes" if value else "no")
            language = session.partner_language(code, partner)
            row["language"] = language
            row["validated_language"] = "yes" if language == "en" else "no"
            rows.append(row)
    return _ordered(pd.DataFrame(rows), "participants")


def values_sorts_table(session: Session) -> pd.DataFrame:
    """Every sorted value card per participant, with its pile and top-5 rank."""
    from ..values import load_deck
    from ..values_session import read_all_sorts

    deck = load_deck()
    rows = []
    for (code, partner), sort in read_all_sorts(session, deck).items():
        for value_id, pile in sort.piles.items():
            rows.append(
                {
                    "session_id": session.session_id,
                    "couple_code": code,
                    "partner": partner,
                    "value_id": value_id,
                    "value_name": deck.name(value_id),
                    "pile": pile,
                    "rank": sort.rank(value_id),
                }
            )
    frame = _ordered(pd.DataFrame(rows), "values_sorts")
    frame["rank"] = frame["rank"].astype("Int64")
    return frame


def appreciation_words_table(session: Session) -> pd.DataFrame:
    """The words each participant gave for the room's appreciation cloud, one per row.

    Notes to the partner are private and never exported.
    """
    from ..appreciation import WORDS_KIND

    rows = [
        {
            "session_id": session.session_id,
            "couple_code": entry.couple_code,
            "partner": entry.partner,
            "word": str(word),
        }
        for entry in session.entries(WORDS_KIND)
        for word in entry.value
    ]
    return _ordered(pd.DataFrame(rows), "appreciation_words")


TABLE_BUILDERS: dict[str, Callable[[Session], pd.DataFrame]] = {
    "sessions": sessions_table,
    "answers": answers_table,
    "scores": scores_table,
    "changes": changes_table,
    "reliability": reliability_table,
    "room_change": room_change_table,
    "participants": participants_table,
    "values_sorts": values_sorts_table,
    "appreciation_words": appreciation_words_table,
}


def data_tables(session: Session) -> dict[str, pd.DataFrame]:
    """Every table of a session's data export, by name (not yet neutralised)."""
    return {name: TABLE_BUILDERS[name](session) for name in TABLES}


def pool_tables(sessions: Iterable[Session]) -> dict[str, pd.DataFrame]:
    """The tables of several sessions stacked, each row keeping its ``session_id``.

    Raises InputError when the same session is given twice.
    """
    seen: dict[str, str] = {}
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    for session in sessions:
        if session.session_id in seen:
            raise InputError(
                f"session {session.session_id} is given twice ({seen[session.session_id]} "
                f"and {session.path}); give each session file once"
            )
        seen[session.session_id] = str(session.path)
        for name, frame in data_tables(session).items():
            parts[name].append(frame)
    if not seen:
        raise InputError("pool needs at least one session file")
    return {
        name: pd.concat([f for f in frames if not f.empty] or frames[:1], ignore_index=True)
        for name, frames in parts.items()
    }


# -- writing ------------------------------------------------------------------------
def _replace_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary file beside ``path`` and move it into place: never half a file,
    and owner-only (0600) whatever the umask."""
    with private_file(path) as tmp:
        write(tmp)


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """One table as CSV: UTF-8 with a BOM (so spreadsheets read accents right), neutralised."""
    path = Path(path)
    safe = neutralise_frame(frame)
    # CRLF line ends (RFC 4180) make the writer quote a bare carriage return inside a text
    # cell too; with "\n" ends it was written raw and a spreadsheet began a new row there.
    _replace_atomically(
        path,
        lambda tmp: safe.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\r\n"),
    )
    return path


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """Tables as sheets of one workbook, plus a ``data_dictionary`` sheet; neutralised."""
    path = Path(path)
    dictionary = data_dictionary([t for t in tables if t in DICTIONARY])

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, frame in {**tables, "data_dictionary": dictionary}.items():
                safe = neutralise_frame(frame)
                safe.to_excel(writer, sheet_name=name[:31], index=False)
                sheet = writer.sheets[name[:31]]
                for i, column in enumerate(safe.columns, start=1):
                    width = max([len(str(column)), *(len(str(v)) for v in safe[column].head(50))])
                    sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(
                        60, max(10, math.ceil(width * 1.1))
                    )
                sheet.freeze_panes = "A2"

    _replace_atomically(path, write)
    return path


def export_data(session: Session, out_dir: Path | str) -> list[Path]:
    """Write the session's tables as CSV files and one XLSX workbook into ``out_dir``.

    Files: ``<table>.csv`` for each table, ``data_dictionary.csv`` and
    ``<session date>-<session id>-data.xlsx`` (every table as a sheet). Returns the paths.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out must be a folder; {str(out)!r} is a file")
    private_folder(out, own=False)
    tables = data_tables(session)
    written = [write_csv(frame, out / f"{name}.csv") for name, frame in tables.items()]
    written.append(write_csv(data_dictionary(), out / "data_dictionary.csv"))
    stem = f"{session.date}-{session.session_id[:8]}-data.xlsx"
    written.append(write_xlsx(tables, out / stem))
    return written


def write_pool(sessions: Iterable[Session], path: Path | str, table: str = "scores") -> Path:
    """Pool sessions into one file: ``.xlsx`` (every table as a sheet) or ``.csv`` (``table``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise InputError(f"--out must end in .xlsx or .csv; not {path.name!r}")
    if table not in TABLES:
        raise InputError(f"table must be one of {list(TABLES)}; not {table!r}")
    if not path.parent.is_dir():
        raise InputError(f"the folder {str(path.parent)!r} does not exist; create it first")
    tables = pool_tables(sessions)
    if suffix == ".xlsx":
        return write_xlsx(tables, path)
    return write_csv(tables[table], path)
