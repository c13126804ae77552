"""Save one couple's check-in charts as PNG files and one PDF (print style)."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from ..charts.checkin import couple_themes, total_against_cutoff
from ..charts.ios import ios_before_after
from ..charts.style import chart_style, drawing
from ..pack_data import couple_pack_data
from ..results import CheckinResults, checkin_results
from ..session import Session, check_code_format
from .private_files import private_file, private_folder

PDF_METADATA = {"Creator": "Couples Workshop Kit", "CreationDate": None, "ModDate": None}


def couple_checkin_figures(
    session: Session, couple_code: str, results: CheckinResults | None = None
) -> dict[str, Figure]:
    """The couple's check-in charts, by file stem: themes, closeness circles, any total."""
    results = results or checkin_results(session)
    data = couple_pack_data(session, couple_code, results)  # consent applied there
    names = {
        k: v
        for k, v in results.subscale_names.items()
        if k in {s.id for s in session.content.instrument("checkin").subscales}
    }
    figures: dict[str, Figure] = {}
    with chart_style("print"):
        fig = Figure(figsize=(8.27, 9), layout="constrained")
        couple_themes(
            data.themes,
            names,
            ax=fig.add_subplot(),
        )
        figures["connection-by-theme"] = fig

        ios = data.ios
        fig = Figure(figsize=(8.27, 4.2))
        ax = fig.add_subplot()
        by_phase = ios.set_index("phase")["couple_mean"] if not ios.empty else {}
        ios_before_after(
            by_phase.get("before"),
            by_phase.get("after"),
            ax=ax,
            title="How close we feel (the two of us, on average)",
        )
        figures["closeness-circles"] = fig

        for inst, table in data.totals:
            fig = Figure(figsize=(8.27, 3.6), layout="constrained")
            total_against_cutoff(table, inst, ax=fig.add_subplot())
            figures[f"{inst.id}-total"] = fig
    return figures


def save_couple_charts(session: Session, couple_code: str, out_dir: Path | str) -> list[Path]:
    """Write each chart as PNG and all of them in one PDF under ``out_dir/<code>/``.

    Returns the paths written. The couple code is checked before it becomes a folder name.
    """
    code = check_code_format(couple_code)
    figures = couple_checkin_figures(session, code)
    private_folder(out_dir, own=False)
    folder = private_folder(Path(out_dir) / code)
    written = []
    with drawing():  # saving draws: one thread at a time
        for stem, fig in figures.items():
            path = folder / f"{code}-{stem}.png"
            with private_file(path) as tmp:
                fig.savefig(tmp, dpi=150, format="png")
            written.append(path)
        pdf_path = folder / f"{code}-checkin-charts.pdf"
        with private_file(pdf_path) as tmp, PdfPages(tmp, metadata=PDF_METADATA) as pdf:
            for fig in figures.values():
                pdf.savefig(fig)
    written.append(pdf_path)
    return written
