"""The take-home pack as it was made before Typst (frozen here for ``make bench`` only).

Every page drawn by matplotlib (``workshop_kit.charts.pack`` and the other modules'
figure functions), written with ``PdfPages`` and one shared font subset per face
(``legacy_pdf_fonts``, a patch of matplotlib's private subsetting), PNGs rendered from
the PDF with PDFium. ``benchmarks/bench_packs.py`` times it beside the Typst packs in the
same run, so the ratio is measured, not remembered. Nothing in the kit imports this.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from legacy_pdf_fonts import shared_font_subsets
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from workshop_kit.charts.pack import (
    CoupleFacts,
    closeness_page,
    connection_page,
    cover_page,
    support_page,
)
from workshop_kit.charts.style import chart_style, paper_name, paper_size
from workshop_kit.couple import couple_scores, show_individual
from workshop_kit.errors import InputError
from workshop_kit.export.packs import PDF_METADATA, PNG_DPI, _inside, lowest_themes
from workshop_kit.export.raster import render_pages
from workshop_kit.results import IOS_ID, CheckinResults, checkin_results
from workshop_kit.session import Session, check_code_format

PACK_SUFFIX = "take-home.pdf"
PLUGIN_PAGES = [
    (
        "shared-values",
        "workshop_kit.charts.values",
        "couple_values_figure",
        "Our shared values",
        False,
    ),
    (
        "appreciation-card",
        "workshop_kit.charts.appreciation",
        "appreciation_card_pages",
        "Our appreciation card",
        True,
    ),
    ("next-steps", "workshop_kit.charts.exercises", "next_steps_figure", "Our next steps", False),
]


class _Plugin:
    def __init__(self, stem, module, function, contents, many):
        self.stem, self.module, self.function, self.contents, self.many = (
            stem,
            module,
            function,
            contents,
            many,
        )


def _plugin_figures(
    plugin: _Plugin, session: Session, code: str, paper: str, **kwargs
) -> list[Figure]:
    try:
        module = importlib.import_module(plugin.module)
    except ModuleNotFoundError as exc:
        if exc.name == plugin.module:
            return []  # that part of the kit is not installed: its page is left out
        raise
    function = getattr(module, plugin.function)
    found = function(session, code, paper=paper, **kwargs)
    return list(found) if plugin.many else [found]


def _next_steps_kwargs(session: Session, themes_table) -> dict:
    try:
        from workshop_kit.exercises import GENERAL, load_exercises
    except ModuleNotFoundError:
        return {}
    known = [t for t in load_exercises().suggestions if t != GENERAL]
    return {"lowest_themes": lowest_themes(themes_table, known)}


def couple_pages(
    session: Session, couple_code: str, paper: str = "A4", results: CheckinResults | None = None
) -> list[tuple[str, Figure]]:
    """Every page of one couple's pack, in order, as ``(stem, Figure)``; nothing is written."""
    paper = paper_name(paper)
    code, _ = session.check_participant(couple_code, "A")
    results = results if results is not None else checkin_results(session)
    consent_a, consent_b = session.consents(code, "A"), session.consents(code, "B")
    facts = CoupleFacts(code, session.title, session.date, show_individual(consent_a, consent_b))
    checkin = session.content.instrument("checkin")
    names = {s.id: s.name for s in checkin.subscales}
    themes = couple_scores(results.theme_scores, code, consent_a, consent_b)
    ios = couple_scores(results.scores_for(IOS_ID), code, consent_a, consent_b)
    totals = [
        (
            session.content.instrument(inst_id),
            couple_scores(results.scores_for(inst_id), code, consent_a, consent_b),
        )
        for inst_id in results.totals
    ]

    pages: list[tuple[str, Figure]] = []
    contents: list[str] = []
    connection, _drawn = connection_page(facts, themes, names, paper)
    pages.append(("connection-by-theme", connection))
    contents.append("Our connection, before and after")
    pages.append(("closeness", closeness_page(facts, ios, totals, paper)))
    contents.append("How close we feel" + "".join(f" · {inst.name}" for inst, _ in totals))
    for plugin in (_Plugin(*p) for p in PLUGIN_PAGES):
        extra = _next_steps_kwargs(session, themes) if plugin.stem == "next-steps" else {}
        figures = _plugin_figures(plugin, session, code, paper, **extra)
        for number, fig in enumerate(figures, start=1):
            pages.append((plugin.stem if number == 1 else f"{plugin.stem}-{number}", fig))
        if figures:
            contents.append(plugin.contents)
    pages.append(("support", support_page(facts, session.support_resources, paper)))
    contents.append("Where to find support")
    pages.insert(0, ("cover", cover_page(facts, contents, paper)))

    width, height = paper_size(paper)
    for stem, fig in pages:
        w, h = fig.get_size_inches()
        if abs(w - width) > 0.02 or abs(h - height) > 0.02:
            raise InputError(
                f"the {stem!r} page is {w:.2f}×{h:.2f} in; a {paper} page must be "
                f"{width:.2f}×{height:.2f} in"
            )
        fig.set_size_inches(width, height)  # exact, so every PDF page is the paper's size
    for number, (_stem, fig) in enumerate(pages, start=1):
        fig.text(
            1 - 0.45 / width,
            1 - 0.25 / height,
            f"{code}  ·  {number} / {len(pages)}",
            ha="right",
            va="top",
            fontsize=7.5,
            color="#6B6B6B",
        )
    return pages


def build_pack(
    session: Session,
    couple_code: str,
    out_dir: Path | str,
    paper: str = "A4",
    results: CheckinResults | None = None,
) -> list[Path]:
    """Write one couple's take-home pack into ``out_dir/<code>/``.

    Returns the paths written, the PDF first. The couple code is checked before it
    becomes a folder name; files are written whole (to a temporary name, then renamed).
    """
    code = check_code_format(couple_code)
    session.check_participant(code, "A")
    pages = couple_pages(session, code, paper, results)
    folder = _inside(Path(out_dir), code)
    folder.mkdir(parents=True, exist_ok=True)
    pdf_path = folder / f"{code}-{PACK_SUFFIX}"
    _write_pdf(pdf_path, [fig for _stem, fig in pages], f"Take-home pack, couple {code}")
    pngs = {
        index: folder / f"{code}-{stem}.png"
        for index, (stem, _fig) in enumerate(pages)
        if stem not in ("cover", "support")
    }
    written = [pdf_path, *render_pages(pdf_path, pngs, PNG_DPI)]
    return written


def _inside_unused(out_dir: Path, code: str) -> Path:
    folder = out_dir / code
    if folder.resolve().parent != out_dir.resolve():
        raise InputError(f"couple code {code!r} cannot be used as a folder name")
    return folder


def _write_pdf(path: Path, figures: list[Figure], title: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    # the print style embeds TrueType fonts (pdf.fonttype 42), read when the file is written
    with (
        chart_style("print"),
        shared_font_subsets(),
        PdfPages(tmp, metadata={**PDF_METADATA, "Title": title}) as pdf,
    ):
        for fig in figures:
            pdf.savefig(fig)
    os.replace(tmp, path)


_WORKER: dict = {}


def _start(store_path: str, out_dir: str) -> None:
    session = Session.open(store_path)
    _WORKER.update(session=session, results=checkin_results(session), out_dir=out_dir)


def _one(code: str) -> list[Path]:
    return build_pack(_WORKER["session"], code, _WORKER["out_dir"], "A4", _WORKER["results"])


def build_all(session: Session, out_dir: Path, workers: int) -> None:
    """Every couple's pack the old way, on ``workers`` forked processes (as it was)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    out_dir.mkdir(parents=True, exist_ok=True)
    codes = session.couple_codes()
    if workers == 1:
        results = checkin_results(session)
        for code in codes:
            build_pack(session, code, out_dir, "A4", results)
        return
    with ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start,
        initargs=(str(session.path), str(out_dir)),
    ) as pool:
        list(pool.map(_one, codes))
