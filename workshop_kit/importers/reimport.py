"""Stage 4b, re-import: rows imported before, and answers given since, are left alone.

* A row is known by its **content**: couple code, partner, check-in and the values given,
  not by the file's bytes (:meth:`Row.fingerprint`). A row imported before is skipped,
  whichever file it comes in (a form downloaded again later, the same file saved with other
  line ends). The check-in is part of the row, so a file first imported with the wrong one
  can be imported with the right one.
* A new row never overwrites an answer given **since** it was filled in: when the row has a
  time (a form's Timestamp, Completion time, Last modified time...) and the store holds a
  different answer to that item recorded after it, the stored answer is kept and the preview
  says so. A row without a time (typed from paper) is as new as the import.
* A file imported by a kit older than this rule (its bytes recorded, not its rows) counts as
  imported whole, as it did then.

Pure logic: no matplotlib, no ipywidgets.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..session import Session, flag_entries
from .common import in_sheet
from .rows import SheetCheck


def _local(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.astimezone().astimezone(UTC)


def settle(session: Session, plan, checks: list[SheetCheck]) -> None:
    """Drop rows imported before and answers older than the store's; fill the plan.

    Parameters
    ----------
    session : Session
        The store the rows would go to.
    plan : ImportPlan
        Filled in place: ``rows``, ``rows_before``, ``row_keys`` (fingerprint, couple code,
        partner, phase per new row), ``answers``, ``flags``, ``entries``, ``kept``, ``sheets``
        and ``notes``.
    checks : list of SheetCheck
        Every sheet's checked rows, none of them with a problem.

    Notes
    -----
    An answer of a new row is kept out when the row has a time :math:`t_r` (read as local
    time when it names no zone) and the store's latest answer to the same item, person and
    check-in differs and was recorded at :math:`t_s > t_r` (UTC).
    """
    rows = [(check, row, row.fingerprint()) for check in checks for row in check.rows]
    known = session.imported_fingerprints(p for _, _, p in rows)
    legacy = session.imported_whole_file(plan.sha256)
    latest: dict[tuple, tuple] = {}
    if any(row.time for _, row, _ in rows):
        latest = session.latest_answers_with_time()
    for check, row, fingerprint in rows:
        plan.rows += 1
        if fingerprint in known or legacy:
            plan.rows_before += 1
            check.preview.already += 1
            continue
        plan.row_keys.append((fingerprint, row.code, row.partner, row.phase))
        for answer in row.answers:
            stored = latest.get(
                (row.code, row.partner, row.phase, answer.instrument, answer.item_id)
            )
            if (
                row.time is not None
                and stored is not None
                and stored[0] != answer.value
                and datetime.fromisoformat(stored[1]) > _local(row.time)
            ):
                plan.kept.append(
                    f"{in_sheet(check.sheet.name)}row {row.number}: {row.code} {row.partner} "
                    f"{answer.item_id} stays {_shown(stored[0])} (given since; the file says "
                    f"{_shown(answer.value)})"
                )
                continue
            plan.answers.append(answer)
            check.preview.answers += 1
        plan.flags += row.flags
        for _, flag_id, value, code, partner in row.flags:
            # the yes/no answer, and the same answer kept for its check-in when known
            plan.entries += flag_entries(flag_id, value, code, partner, row.phase)
        check.preview.flags += len(row.flags)
    for check in checks:
        plan.sheets.append(check.preview)
        plan.notes += check.notes


def _shown(value) -> str:
    if value is None:
        return "skipped"
    return str(int(value)) if float(value).is_integer() else str(value)
