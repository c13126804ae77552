"""``50_results``: the room before/after for the projector, and couples' charts to save.

The room view is aggregate only (k-suppressed). A couple's charts are saved to files for
their take-home pack; previewing them is a facilitator-only step, hidden by default.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from ..charts.checkin import room_figure  # noqa: F401  (drawn in charts/; 50_results imports it here)
from ..charts.style import drawing
from ..errors import WorkshopKitError
from ..export.folders import claim_exports_folder, session_exports_folder
from ..session import Session
from . import common


def exports_dir() -> Path:
    """Where saved charts and packs go: ``$WORKSHOP_KIT_EXPORTS``, else ``exports/``."""
    from ..locations import exports_dir as _exports_dir

    return _exports_dir()


class CoupleChartsWidget:
    """Pick a couple and save their check-in charts (PNG + PDF); preview is facilitator-only."""

    def __init__(self, session: Session, out_dir: Path | str | None = None):
        self.session = session
        # one folder per session, tied to it by an owner file, so `workshop-kit purge`
        # deletes this session's files and no other's
        self._own_folder = out_dir is None
        self.out_dir = Path(out_dir) if out_dir else session_exports_folder(session)
        self.picker = w.Dropdown(options=session.couple_codes(), layout=w.Layout(width="240px"))
        self.save_button = common.button("Save this couple's charts", "primary")
        common.on_click(self.save_button, lambda: self.save(), self)
        self.preview = w.Checkbox(
            value=False,
            description="Preview here (facilitator only: blank the projector first)",
            indent=False,
        )
        common.on_change(self.preview, lambda _c: self._refresh_preview(), self)
        self.preview_box = w.Output()
        self.message = common.text("")
        self.written: list[Path] = []
        self.view = common.root(
            [
                common.text("A couple's charts", "wk-question"),
                w.HBox(
                    [common.text("Couple"), self.picker, self.save_button],
                    layout=w.Layout(flex_flow="row wrap", align_items="center"),
                ),
                self.message,
                self.preview,
                self.preview_box,
            ]
        )

    def save(self) -> list[Path]:
        from ..export.charts import save_couple_charts

        try:
            if self._own_folder:
                self.out_dir = claim_exports_folder(self.session)
            self.written = save_couple_charts(self.session, self.picker.value, self.out_dir)
        except WorkshopKitError as exc:
            common.set_text(self.message, str(exc), "wk-error")
            return []
        common.set_text(
            self.message, f"Saved {len(self.written)} files in {self.written[0].parent}", "wk-ok"
        )
        return self.written

    def _refresh_preview(self) -> None:
        from IPython.display import display

        from ..export.charts import couple_checkin_figures

        self.preview_box.clear_output()
        if not self.preview.value:
            return
        with self.preview_box, drawing():  # showing a Figure draws it: one thread at a time
            for fig in couple_checkin_figures(self.session, self.picker.value).values():
                display(fig)

    def _ipython_display_(self):
        from IPython.display import display

        display(self.view)
