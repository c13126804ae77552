"""``00_start_here``: create a session (title, date, number of couples) or open one."""

from __future__ import annotations

import html
from datetime import date as Date
from pathlib import Path

import ipywidgets as w

from .. import locations
from ..errors import WorkshopKitError
from ..session import Session, clean_title
from . import common


def codes_table(session: Session) -> str:
    """The couple codes as a large, printable HTML table (numbered, no names)."""
    cells = "".join(
        f"<tr><td style='padding:4px 18px'>{i}</td>"
        f"<td style='padding:4px 18px;font-family:monospace;font-size:32px;font-weight:700'>"
        f"{html.escape(code)}</td></tr>"
        for i, code in enumerate(session.couple_codes(), start=1)
    )
    return (
        f"<div class='wk-help'>Give each couple one code (write it on a card). "
        f"No names are needed.</div><table style='font-size:24px'>{cells}</table>"
    )


def parse_resources(text: str) -> list[dict[str, str]]:
    r"""Support resources typed one per line as ``name | contact | note``.

    >>> for row in parse_resources("Counselling service | 0800 000 000 | for couples\n\nGP"):
    ...     print(row)
    {'name': 'Counselling service', 'contact': '0800 000 000', 'note': 'for couples'}
    {'name': 'GP', 'contact': '', 'note': ''}
    """
    resources = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > 3 or not parts[0]:
            raise WorkshopKitError(
                f"support line {number} must be 'name | contact | note' (contact and note "
                f"may be left out); not {line.strip()!r}"
            )
        parts += [""] * (3 - len(parts))
        resources.append(dict(zip(("name", "contact", "note"), parts)))
    return resources


def resources_text(resources: list[dict[str, str]]) -> str:
    return "\n".join(
        " | ".join(r.get(key, "") for key in ("name", "contact", "note")).rstrip(" |")
        for r in resources
    )


class StartWidget:
    """Create or open the session every other notebook works on."""

    def __init__(self):
        self.session: Session | None = None
        self.title = w.Text(
            placeholder="e.g. Spring workshop, St Mary's hall", layout=w.Layout(width="100%")
        )
        self.date = w.DatePicker(value=Date.today())
        self.couples = w.BoundedIntText(value=12, min=1, max=200, layout=w.Layout(width="160px"))
        # the room's language: room views, and each partner's until they choose theirs
        self.language = common.language_picker("en")
        self.create_button = common.button("Create session", "primary", width="260px")
        common.on_click(self.create_button, lambda: self.create(), self)
        self.existing = w.Dropdown(options=self._existing(), layout=w.Layout(width="100%"))
        self.open_button = common.button("Open session", width="260px")
        common.on_click(self.open_button, lambda: self.open(), self)
        self.message = common.text("")
        self.codes = w.HTML()
        self.resources = w.Textarea(
            placeholder="One per line:  name | phone or address | a short note",
            layout=w.Layout(width="100%", height="160px"),
        )
        self.save_resources_button = common.button("Save support list", width="260px")
        common.on_click(self.save_resources_button, lambda: self.save_resources(), self)
        self.resources_message = common.text("")
        self.walk_in_button = common.button("Add a walk-in couple", width="300px")
        common.on_click(self.walk_in_button, self.add_walk_in, self)
        self.walk_in_message = common.text("")
        self.resources_box = w.VBox(
            [
                common.text("A couple arrives late", "wk-question"),
                common.text(
                    "Add them here: they get a new code of their own, made the same way as "
                    "the others. Pages already open list it after their next person."
                ),
                self.walk_in_button,
                self.walk_in_message,
                common.text("Where to find support", "wk-question"),
                common.text(
                    "Local places couples can turn to. They are printed on the last page of "
                    "every take-home pack."
                ),
                self.resources,
                self.save_resources_button,
                self.resources_message,
            ]
        )
        self.resources_box.layout.display = "none"
        self.secret_code = w.Dropdown(options=[], layout=w.Layout(width="240px"))
        self.secret_partner = common.partner_picker()
        self.reset_secret_button = common.button("Reset secret", "warning", width="260px")
        common.on_click(self.reset_secret_button, lambda: self.reset_secret(), self)
        self.secret_message = common.text("")
        self.secret_box = w.VBox(
            [
                common.text("A forgotten secret", "wk-question"),
                common.text(
                    "Each partner chooses a short secret to come back to their answers, "
                    "notes and plans. If someone forgot theirs, choose their couple code "
                    "and partner and reset it: they choose a new one when they start "
                    "again. Their answers are kept."
                ),
                w.HBox(
                    [self.secret_code, self.secret_partner],
                    layout=w.Layout(flex_flow="row wrap", align_items="center"),
                ),
                self.reset_secret_button,
                self.secret_message,
            ]
        )
        self.secret_box.layout.display = "none"
        self.view = common.root(
            [
                common.text("Start here", "wk-title"),
                common.text("New session", "wk-question"),
                w.HBox([common.text("Title"), self.title]),
                w.HBox(
                    [common.text("Date"), self.date, common.text("Couples"), self.couples],
                    layout=w.Layout(flex_flow="row wrap", align_items="center"),
                ),
                w.HBox(
                    [common.text("Room language"), self.language],
                    layout=w.Layout(flex_flow="row wrap", align_items="center"),
                ),
                self.create_button,
                common.text("Or open a session", "wk-question"),
                self.existing,
                self.open_button,
                self.message,
                self.codes,
                self.resources_box,
                self.secret_box,
            ]
        )

    @staticmethod
    def _existing() -> list[tuple[str, str]]:
        files = sorted(locations.sessions_dir().glob("*.sqlite"))
        return [(p.stem, str(p)) for p in files] or [("(no sessions yet)", "")]

    def create(self) -> Session | None:
        """Create the session from the form and make it current."""
        try:
            title = clean_title(self.title.value)
            if not title:
                raise WorkshopKitError("Please give the session a title.")
            day = self.date.value or Date.today()
            path = locations.session_path(f"{day.isoformat()}-{title}")
            session = Session.create(
                path,
                title=title,
                date=day.isoformat(),
                couples=int(self.couples.value),
                language=self.language.value,
            )
        except WorkshopKitError as exc:
            common.set_text(self.message, str(exc), "wk-error")
            return None
        return self._use(session, "Created")

    def open(self, path: str | Path | None = None) -> Session | None:
        """Open an existing session file and make it current."""
        path = path or self.existing.value
        if not path:
            common.set_text(
                self.message, "There is no session to open yet: create one above.", "wk-error"
            )
            return None
        try:
            session = Session.open(path)
        except WorkshopKitError as exc:
            common.set_text(self.message, str(exc), "wk-error")
            return None
        return self._use(session, "Opened")

    def _use(self, session: Session, verb: str) -> Session:
        if self.session is not None:
            self.session.close()
        self.session = session
        locations.set_current(session.path)
        common.set_text(
            self.message,
            f"{verb} “{session.title}” ({session.date}) with "
            f"{len(session.couple_codes())} couples; room language: "
            f"{common.language_name(session.language)}. Every notebook you open or run from "
            "now on uses it. Pages already open keep the session they started with and "
            "will not save into it: run them again (Restart Kernel and Run All Cells, or "
            "reload the page in present mode).",
            "wk-ok",
        )
        pinned = locations.pinned_store_path()
        if pinned is not None and pinned.resolve() != Path(session.path).resolve():
            common.set_text(
                self.message,
                f"{verb} “{session.title}”, but the other pages were started for the "
                f"session file {pinned.name} and keep using it (present mode with --store). "
                "Restart present mode without --store to use this one everywhere.",
                "wk-error",
            )
        self.codes.value = codes_table(session)
        self.resources.value = resources_text(session.support_resources)
        # messages about the previous session must not stay under the new one's boxes
        common.set_text(self.resources_message, "")
        common.set_text(self.walk_in_message, "")
        self.resources_box.layout.display = ""
        self.secret_code.options = session.couple_codes()
        self.secret_code.value = None
        self.secret_partner.value = None
        common.set_text(self.secret_message, "")
        self.secret_box.layout.display = ""
        self.existing.options = self._existing()
        return session

    def add_walk_in(self) -> str | None:
        """Add one couple with a fresh code to the session in use; return the code."""
        if self.session is None:
            return None
        try:
            code = self.session.add_couple()
        except WorkshopKitError as exc:
            common.set_text(self.walk_in_message, str(exc), "wk-error")
            return None
        self.codes.value = codes_table(self.session)
        common.set_text(
            self.walk_in_message,
            f"Added couple {code}: give them this code. The session now has "
            f"{len(self.session.couple_codes())} couples.",
            "wk-ok",
        )
        return code

    def save_resources(self) -> None:
        """Save the support list typed in the box for the current session."""
        if self.session is None:
            return
        try:
            self.session.set_support_resources(parse_resources(self.resources.value))
        except WorkshopKitError as exc:
            common.set_text(self.resources_message, str(exc), "wk-error")
            return
        count = len(self.session.support_resources)
        common.set_text(self.resources_message, f"Saved {count} places to find support.", "wk-ok")

    def reset_secret(self) -> None:
        """Forget the chosen partner's secret (the facilitator, for someone who forgot)."""
        if self.session is None:
            return
        code, partner = self.secret_code.value, self.secret_partner.value
        if code is None or partner is None:
            common.set_text(self.secret_message, common.ASK_WHO, "wk-error")
            return
        try:
            was_set = self.session.partner_secret_is_set(code, partner)
            self.session.reset_partner_secret(code, partner)
        except WorkshopKitError as exc:
            common.set_text(self.secret_message, str(exc), "wk-error")
            return
        common.set_text(
            self.secret_message,
            f"Partner {partner} of couple {code} can choose a new secret now."
            if was_set
            else f"Partner {partner} of couple {code} had no secret yet; nothing changed.",
            "wk-ok",
        )
        self.secret_partner.value = None

    def _ipython_display_(self):
        from IPython.display import display

        display(self.view)
