"""``50_results``: one button that writes every couple's take-home pack, with a progress bar.

Nothing individual is shown here: the widget says how many packs were written and where;
the packs themselves are files for the couples.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from ..errors import WorkshopKitError
from ..export.folders import claim_exports_folder, session_exports_folder
from ..session import Session
from . import common


class PacksWidget:
    """Choose the paper, press "Export take-home packs", watch the bar fill."""

    def __init__(
        self, session: Session, out_dir: Path | str | None = None, workers: int | None = None
    ):
        self.session = session
        # inside the session's own exports folder, so `workshop-kit purge` removes them
        self._own_folder = out_dir is None
        self.out_dir = Path(out_dir) if out_dir else session_exports_folder(session) / "packs"
        self.workers = workers
        self.paper = w.ToggleButtons(
            options=["A4", "Letter"],
            value="A4",
            description="Paper",
            style={"button_width": "110px"},
        )
        self.large = w.Checkbox(value=False, description="Large print (18 pt and up)")
        self.export_button = common.button("Export take-home packs", "primary")
        common.on_click(self.export_button, lambda: self.export(), self)
        self.bar = w.IntProgress(
            value=0,
            min=0,
            max=max(1, len(session.couple_codes())),
            description="Packs",
            layout=w.Layout(width="420px"),
        )
        self.message = common.text(
            f"One pack per couple ({len(session.couple_codes())} couples), saved in {self.out_dir}."
        )
        self.result = None
        self.view = common.root(
            [
                common.text("Take-home packs", "wk-question"),
                w.HBox(
                    [self.paper, self.large, self.export_button],
                    layout=w.Layout(flex_flow="row wrap", align_items="center"),
                ),
                self.bar,
                self.message,
            ]
        )

    def _progress(self, done: int, total: int) -> None:
        self.bar.max = max(1, total)
        self.bar.value = done

    def export(self):
        """Write every pack and the room summary; returns the result (None on an error)."""
        from ..export.packs import build_all_packs

        self.export_button.disabled = True
        common.set_text(self.message, "Writing the packs…")
        try:
            if self._own_folder:
                self.out_dir = claim_exports_folder(self.session) / "packs"
            self.result = build_all_packs(
                self.session,
                self.out_dir,
                paper=self.paper.value,
                workers=self.workers,
                progress=self._progress,
                large=self.large.value,
            )
        except WorkshopKitError as exc:
            common.set_text(self.message, str(exc), "wk-error")
            return None
        finally:
            self.export_button.disabled = False
        done = (
            f"Done: {len(self.result.packs)} take-home packs ({self.paper.value}) in "
            f"{self.out_dir}, one folder per couple, and the room summary for you."
        )
        if self.result.warnings:  # a note that could not be printed in full: say which
            common.set_text(self.message, " ".join([done, *self.result.warnings]), "wk-error")
        else:
            common.set_text(self.message, done, "wk-ok")
        return self.result

    def _ipython_display_(self):
        from IPython.display import display

        display(self.view)
