"""``50_results``: the room before/after for the projector, and couples' charts to save.

The room view is aggregate only (k-suppressed). A couple's charts are saved to files for
their take-home pack; previewing them is a facilitator-only step, hidden by default.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
from matplotlib.figure import Figure

from ..charts.checkin import room_before_after
from ..charts.style import PROJECTOR_FIGSIZE, chart_style, drawing
from ..errors import WorkshopKitError
from ..export.folders import claim_exports_folder, session_exports_folder
from ..published import publish_checkin
from ..session import Session
from . import common


def exports_dir() -> Path:
    """Where saved charts and packs go: ``$WORKSHOP_KIT_EXPORTS``, else ``exports/``."""
    from ..locations import exports_dir as _exports_dir

    return _exports_dir()


def room_figure(session: Session, measure: str = "checkin") -> Figure:
    """The room's before/after chart for one measure, projector style, k-suppressed.

    ``measure`` is "checkin" (every theme), "ios" or the id of a summed instrument.
    """
    from ..charts.style import empty_message

    change = publish_checkin(session).change
    inst = session.content.instrument(measure)
    if measure == "checkin":
        names = {s.id: s.name for s in inst.subscales}
        scale, height = (1, 5), 8.6
    else:
        names = {measure: "The room"}  # the title names the measure
        scale = (inst.min, inst.max) if inst.kind == "picture" else (inst.total_min, inst.total_max)
        height = 4.8
    with chart_style("projector"):
        fig = Figure(figsize=(PROJECTOR_FIGSIZE[0], height), layout="none")
        # fixed margins: room for the theme names on the left and the change on the right
        left = 0.38 if measure == "checkin" else 0.22
        fig.subplots_adjust(left=left, right=0.83, top=1 - 1.6 / height, bottom=1.55 / height)
        ax = fig.add_subplot()
        mine = change[change["measure"] == measure] if not change.empty else change
        if mine.empty:
            empty_message(ax, "No one has answered both before and after yet.")
        else:
            room_before_after(
                mine,
                names,
                session.k,
                ax=ax,
                scale=scale,
                title="The room, before and after"
                if measure == "checkin"
                else f"{inst.name}, before and after",
            )
    return fig


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
