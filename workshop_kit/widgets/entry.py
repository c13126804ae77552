"""Fast entry of paper check-in forms, keyboard only.

Pick the phase once; type the couple code, Tab, the partner, Tab, and the answers as one row of
characters, one per answer in the order printed on the form (``-``, ``.`` or a space for a
skipped answer, ``y``/``n`` for the yes/no questions), or tab through the boxes one by
one. Each character is checked as it is typed: a wrong one is flagged and nothing is
saved until it is fixed. Saving writes the whole form at once (source ``paper``).
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..errors import WorkshopKitError
from ..paper import (
    SKIP_CHARS,
    FormField,
    form_changes,
    form_fields,
    form_legend,
    form_records,
    missing_forms,
)
from ..session import CODE_PATTERN, PARTNERS, PHASES, Session, normalise_code
from . import common

UNTYPED = "_"  # in the row: a box not typed yet
FROM_FILE = ""  # the import box's phase: read it from the file's phase column
ENTRY_CSS = """
<style>
.wk-entry-row input { font-family: "DejaVu Sans Mono", monospace !important;
  letter-spacing: 0.25em; }
.wk-entry-field input { text-align: center; font-family: "DejaVu Sans Mono", monospace; }
.wk-entry-field .widget-label { font-size: 16px !important; min-width: 2.2em; width: 2.2em; }
.wk-bad input { background: #ffe3dc !important; border: 3px solid #a01c00 !important; }
.wk-good input { border: 2px solid #006b4f !important; }
</style>
"""


class EntryWidget:
    """Type in paper check-in forms, one after another.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1, seed=1)
    >>> entry = EntryWidget(s)
    >>> entry.code.value, entry.partner.value = s.couple_codes()[0], "a"
    >>> entry.row.value = "4" * (len(entry.fields) - 2) + "yn"
    >>> entry.save()
    True
    >>> sorted(set(s.answers()["source"]))
    ['paper']
    """

    def __init__(self, session: Session, phase: str = "before"):
        if phase not in PHASES:
            raise ValueError(f"phase must be one of {list(PHASES)}; not {phase!r}")
        self.session = session
        self.fields: list[FormField] = form_fields(session.content)
        self._updating = False

        self.code = w.Text(placeholder="couple code", layout=w.Layout(width="220px"))
        self.partner = w.Text(placeholder="A or B", layout=w.Layout(width="140px"))
        self.phase = w.Dropdown(options=list(PHASES), value=phase, layout=w.Layout(width="180px"))
        self.who_message = common.text("")
        for box in (self.code, self.partner):
            common.on_change(box, lambda _c: self._who_changed(), self)
        common.on_change(self.phase, lambda _c: self._phase_changed(), self)

        self.row = w.Text(
            placeholder=f"{len(self.fields)} answers, e.g. 4435-2...",
            layout=w.Layout(width="100%"),
        )
        self.row.add_class("wk-entry-row")
        common.on_change(self.row, lambda _c: self._row_changed(), self)
        self.boxes = []
        for field in self.fields:
            box = w.Text(
                description=str(field.number),
                tooltip=f"{field.number}. {field.text} ({field.allowed})",
                layout=w.Layout(width="112px"),
            )
            box.add_class("wk-entry-field")
            common.on_change(box, lambda _c: self._box_changed(), self)
            self.boxes.append(box)
        self.problems = common.text("")
        self.save_button = common.button("Save this form", "primary", width="260px")
        common.on_click(self.save_button, lambda: self.save(), self)
        self.message = common.text("")
        # Shown when the form would replace answers already saved (on the laptop, say):
        # nothing is replaced until the facilitator says so.
        self.pending: tuple | None = None
        self.confirm_text = common.text("")
        self.replace_button = common.button("Replace them with this form", "danger")
        common.on_click(self.replace_button, lambda: self.save(confirmed=True), self)
        self.keep_button = common.button("Keep what is saved")
        common.on_click(self.keep_button, lambda: self.keep_saved(), self)
        self.confirm_box = w.VBox(
            [
                self.confirm_text,
                w.HBox(
                    [self.replace_button, self.keep_button],
                    layout=w.Layout(flex_flow="row wrap"),
                ),
            ]
        )
        self.confirm_box.layout.display = "none"

        self.missing_title = common.text("", "wk-question")
        self.missing_list = common.text("")
        self.refresh_button = common.button("Refresh the list")
        common.on_click(self.refresh_button, lambda: self.refresh_missing(), self)

        legend = " · ".join(
            f"{'answer' if a == b else 'answers'} {a if a == b else f'{a}-{b}'}: {allowed}"
            for a, b, allowed in form_legend(self.fields)
        )
        self.view = common.root(
            [
                w.HTML(ENTRY_CSS),
                common.text("Type in a paper form", "wk-title"),
                common.text(
                    "Couple code and partner first, then the answers in the order printed on "
                    "the form: one character each. Type - (or . or a space) for a skipped "
                    "answer, y or n for the yes/no questions. Or tab through the boxes."
                ),
                # The check-in comes first: it is chosen once, and Tab from the partner box
                # must go straight on to the answers row (the way the notebook says to type).
                w.HBox(
                    [
                        common.text("Check-in", "wk-question"),
                        self.phase,
                        common.text("Code", "wk-question"),
                        self.code,
                        common.text("Partner", "wk-question"),
                        self.partner,
                    ],
                    layout=w.Layout(align_items="center", flex_flow="row wrap"),
                ),
                self.who_message,
                common.text("Answers", "wk-question"),
                self.row,
                common.text(legend, "wk-help"),
                w.HBox(self.boxes, layout=w.Layout(flex_flow="row wrap")),
                self.problems,
                self.save_button,
                self.message,
                self.confirm_box,
                self.missing_title,
                self.missing_list,
                self.refresh_button,
            ]
        )
        self.refresh_missing()

    # -- checking as typed ------------------------------------------------------------
    def who(self) -> tuple[str | None, str | None, list[str]]:
        """The typed couple code and partner if valid, and what is wrong with them."""
        problems = []
        code = normalise_code(self.code.value)
        codes = self.session.couple_codes()
        if code not in codes:
            if not code:
                problems.append("type the couple code from the top of the form")
            elif not CODE_PATTERN.match(code) or not any(c.startswith(code) for c in codes):
                problems.append(f"{code!r} is not a couple code of this session")
            else:
                problems.append(f"{code!r}: keep typing the couple code")
            code = None
        partner = self.partner.value.strip().upper().removeprefix("PARTNER ").strip()
        if partner not in PARTNERS:
            problems.append(
                "type the partner: A or B" if not partner else f"{partner!r} is not A or B"
            )
            partner = None
        return code, partner, problems

    def _hide_confirm(self) -> None:
        self.pending = None
        self.confirm_box.layout.display = "none"

    def _who_changed(self) -> None:
        self._hide_confirm()
        code, partner, problems = self.who()
        _mark(self.code, ok=code is not None, bad=code is None and bool(self.code.value.strip()))
        _mark(
            self.partner,
            ok=partner is not None,
            bad=partner is None and bool(self.partner.value.strip()),
        )
        if problems:
            wrong = any(" is not " in p for p in problems)
            common.set_text(
                self.who_message, "; ".join(problems), "wk-error" if wrong else "wk-help"
            )
            return
        given = self.session.answered_items(code, partner, self.phase.value)
        if given:
            common.set_text(
                self.who_message,
                f"Couple {code}, partner {partner} already has {len(given)} "
                f"{'answer' if len(given) == 1 else 'answers'} for "
                f"{self.phase.value}; where this form differs you will see the changes and "
                "be asked before anything is replaced.",
                "wk-error",
            )
        else:
            common.set_text(
                self.who_message, f"Couple {code}, partner {partner} ({self.phase.value}).", "wk-ok"
            )

    def _phase_changed(self) -> None:
        self._who_changed()
        self.refresh_missing()

    def _row_changed(self) -> None:
        if self._updating:
            return
        self._hide_confirm()
        text = self.row.value
        self._updating = True
        try:
            for i, box in enumerate(self.boxes):
                char = text[i] if i < len(text) else ""
                # a space is a skipped answer; "_" stands for a box left empty
                box.value = {" ": "-", UNTYPED: ""}.get(char, char)
        finally:
            self._updating = False
        self._show_problems()

    def _box_changed(self) -> None:
        if self._updating:
            return
        self._hide_confirm()
        chars = [box.value.strip() or UNTYPED for box in self.boxes]
        row = "".join(c if len(c) == 1 else "?" for c in chars).rstrip(UNTYPED)
        self._updating = True
        try:
            self.row.value = row
        finally:
            self._updating = False
        self._show_problems()

    def _show_problems(self) -> list[str]:
        """Flag every box whose character is not allowed; return the problems."""
        problems = []
        for field, box in zip(self.fields, self.boxes):
            value = box.value.strip()
            try:
                if len(value) > 1:
                    raise WorkshopKitError(
                        f"answer {field.number} ({field.key}): type one character, not {value!r}"
                    )
                field.check(value)
                _mark(box, ok=bool(value), bad=False)
            except WorkshopKitError as exc:
                problems.append(str(exc))
                _mark(box, ok=False, bad=True)
        if len(self.row.value) > len(self.fields):
            problems.append(
                f"{len(self.row.value)} answers typed but the form has {len(self.fields)}; "
                "check for an extra key"
            )
        if problems:
            common.set_text(
                self.problems, "Not saved until fixed: " + "; ".join(problems), "wk-error"
            )
        else:
            typed = len(self.row.value)
            common.set_text(
                self.problems, f"{typed} of {len(self.fields)} answers typed.", "wk-progress"
            )
        return problems

    # -- saving ---------------------------------------------------------------------
    def save(self, confirmed: bool = False) -> bool:
        """Save the typed form in one transaction; False (nothing saved) when anything is wrong.

        When the form would replace answers already saved with different ones, nothing is
        saved: the changes are listed and the facilitator chooses "Replace them with this
        form" (``confirmed=True`` for that very form) or "Keep what is saved".
        """
        code, partner, problems = self.who()
        problems += self._show_problems()
        typed = [box.value.strip() for box in self.boxes]
        blank = [str(f.number) for f, v in zip(self.fields, typed) if not v]
        if blank and not problems:
            problems.append(
                f"answers {', '.join(blank[:8])}{'...' if len(blank) > 8 else ''} not typed; "
                f"type {SKIP_CHARS[0]} for a skipped answer"
            )
        if problems:
            common.set_text(self.message, "Not saved: " + "; ".join(problems), "wk-error")
            return False
        values = [field.check(v) for field, v in zip(self.fields, typed)]
        phase = self.phase.value
        snapshot = (code, partner, phase, tuple(values))
        if not (confirmed and self.pending == snapshot):
            changes = form_changes(self.session, self.fields, values, code, partner, phase)
            if changes:
                self._ask_before_replacing(snapshot, changes)
                return False
        self._hide_confirm()
        answers, entries = form_records(self.fields, values, code, partner, phase)
        try:
            self.session.record_form(answers, entries, source="paper")
        except WorkshopKitError as exc:
            common.set_text(self.message, f"Not saved: {exc}", "wk-error")
            return False
        skipped = sum(a.value is None for a in answers)
        common.set_text(
            self.message,
            f"Saved couple {code}, partner {partner} ({phase}): {len(answers)} answers "
            f"({skipped} skipped). Type the next form's code.",
            "wk-ok",
        )
        self.clear()
        self.refresh_missing()
        self.code.focus()
        return True

    def _ask_before_replacing(self, snapshot: tuple, changes: list) -> None:
        code, partner, phase = snapshot[:3]
        self.pending = snapshot
        lines = "".join(f"<li>{html.escape(c.describe())}</li>" for c in changes)
        self.confirm_text.value = (
            f'<div class="wk-error">Couple {html.escape(code)}, partner {partner} already has '
            f"{phase} answers saved, and this form says something different for "
            f"{len(changes)} of them:</div><ul class='wk-help'>{lines}</ul>"
            "<div class='wk-help'>Replace them only if the paper form is the one to keep.</div>"
        )
        self.confirm_box.layout.display = ""
        common.set_text(
            self.message, "Not saved yet: check the differences below and choose.", "wk-error"
        )

    def keep_saved(self) -> None:
        """Leave the saved answers as they are and empty the form."""
        self._hide_confirm()
        common.set_text(self.message, "Nothing was replaced: the saved answers stay.", "wk-ok")
        self.clear()

    def clear(self) -> None:
        """Empty the code, partner and answers (the phase stays for the next form)."""
        self.code.value = ""
        self.partner.value = ""
        self.row.value = ""

    def refresh_missing(self) -> None:
        """Show which forms of the chosen phase are not in the store yet."""
        missing = missing_forms(self.session, self.phase.value)
        phase = self.phase.value
        if missing.empty:
            common.set_text(self.missing_title, f"Every {phase} form is in.", "wk-ok")
            self.missing_list.value = ""
            return
        common.set_text(
            self.missing_title, f"Still missing for {phase}: {len(missing)} forms", "wk-question"
        )
        by_couple = missing.groupby("couple_code", sort=False)["partner"].apply(
            lambda p: " and ".join(p)
        )
        items = "".join(
            f"<li>{html.escape(code)}: partner {html.escape(partners)}</li>"
            for code, partners in by_couple.items()
        )
        self.missing_list.value = f'<ul class="wk-help" style="columns: 3">{items}</ul>'


def _mark(widget: w.Widget, ok: bool, bad: bool) -> None:
    for css, on in (("wk-good", ok), ("wk-bad", bad)):
        if on:
            widget.add_class(css)
        else:
            widget.remove_class(css)


class ImportBox:
    """Check, then import, a file by its path: all of it, or nothing, with the reasons shown.

    "Check this file" shows what an import would do, per sheet (rows, people, phases,
    answers) and what would be skipped and why, writing nothing; "Import this file" writes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1, seed=1)
    >>> box = ImportBox(s)
    >>> box.path.value = "/no/such/file.csv"
    >>> box.check(), box.run()
    (False, False)
    """

    def __init__(self, session: Session, on_import=None):
        self.session = session
        self.on_import = on_import
        self.path = w.Text(
            placeholder="for example /home/me/Downloads/checkin-answers.csv",
            layout=w.Layout(width="100%"),
        )
        self.phase = w.Dropdown(
            # "" rather than None: a Dropdown shows a None value as an empty box
            options=[("from the file's phase column", FROM_FILE), *((p, p) for p in PHASES)],
            value=FROM_FILE,
            layout=w.Layout(width="460px"),  # room for its longest choice at 24 px
        )
        self.check_button = common.button("Check this file", "info", width="260px")
        common.on_click(self.check_button, self.check, self)
        self.button = common.button("Import this file", "primary", width="260px")
        common.on_click(self.button, lambda: self.run(), self)
        self.message = w.HTML("")
        self.view = common.root(
            [
                common.text("Import answers from a file", "wk-title"),
                common.text(
                    "A CSV, text or Excel file: one row per person and check-in with the couple "
                    "code, partner, phase and a column per question, or an online form's export "
                    "(Google Forms, Microsoft Forms, Qualtrics, SurveyMonkey, ...). Check it "
                    "first to see what will be added. If anything in it is wrong, nothing is "
                    "added and every problem is listed."
                ),
                self.path,
                w.HBox(
                    [common.text("Check-in", "wk-question"), self.phase],
                    layout=w.Layout(align_items="center"),
                ),
                w.HBox([self.check_button, self.button], layout=w.Layout(gap="16px")),
                self.message,
            ]
        )

    def _path(self) -> str | None:
        path = self.path.value.strip().strip('"').strip("'")
        if not path:
            common.set_text(self.message, "Type or paste the file's path first.", "wk-error")
            return None
        return path

    def _show(self, text: str, css: str) -> None:
        lines = "".join(f"<div>{html.escape(line)}</div>" for line in text.splitlines())
        self.message.value = f'<div class="{css}">{lines}</div>'

    def check(self) -> bool:
        """Show what importing the file would do, writing nothing; True when it would import."""
        from ..importers import preview_file

        path = self._path()
        if path is None:
            return False
        try:
            text = preview_file(self.session, path, phase=self.phase.value or None)
        except WorkshopKitError as exc:
            self._show(str(exc), "wk-error")
            return False
        self._show(text + "\nNothing was added yet: press 'Import this file' to add it.", "wk-help")
        return True

    def run(self) -> bool:
        """Import the file named in the path box; True when its answers are in the store."""
        from ..importers import import_file

        path = self._path()
        if path is None:
            return False
        try:
            report = import_file(self.session, path, phase=self.phase.value or None)
        except WorkshopKitError as exc:
            self._show(str(exc), "wk-error")
            return False
        self._show(str(report), "wk-ok")
        if self.on_import is not None:
            self.on_import()
        return not report.already_imported
