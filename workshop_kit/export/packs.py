"""Take-home packs: one PDF (and a PNG per chart page) for every couple, and a room summary.

For each couple ``DIR/<code>/<code>-take-home.pdf`` holds, in order: a cover, connection
before and after by theme, the closeness circles and any published measure in use (such
as the CSI-4), the shared values page, the appreciation card, the next-steps page and
"where to find support". Every chart page is also written as ``DIR/<code>/<code>-<page>.png``.
``DIR/room-summary.pdf`` is the facilitator's k-suppressed room before/after.

Pages of other modules plug in through :data:`PLUGIN_PAGES`: a function
``f(session, couple_code, paper="A4") -> Figure`` in a module that is imported only when
a pack is built (a module not installed leaves its page out). Every page is checked to be
exactly the size of the paper.

Output is deterministic: the same session gives byte-identical files (no dates in the
PDF, no software version in the PNGs), whether built one by one or across processes.
"""

from __future__ import annotations

import importlib
import math
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from ..charts.pack import (
    CoupleFacts,
    closeness_page,
    connection_page,
    cover_page,
    room_summary_pages,
    support_page,
)
from ..charts.style import chart_style, paper_name, paper_size
from ..couple import couple_scores, show_individual
from ..errors import InputError
from ..results import IOS_ID, CheckinResults, checkin_results, checkins_received, room_change
from ..session import Session, check_code_format
from .pdf_fonts import shared_font_subsets
from .raster import render_pages

PDF_METADATA = {"Creator": "Couples Workshop Kit", "CreationDate": None, "ModDate": None}
PNG_DPI = 100
PACK_SUFFIX = "take-home.pdf"
ROOM_SUMMARY = "room-summary.pdf"
# Below this many couples a process pool costs more to start than it saves (measured with
# benchmarks/bench_packs.py on a 2-core machine).
MIN_COUPLES_PER_WORKER = 4
LOWEST_THEMES = 3

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PagePlugin:
    """A pack page drawn by another module of the kit: ``module.function(session, code, paper)``.

    ``function`` returns one Figure, or a list of Figures when ``many`` (a page that may
    continue onto further pages).
    """

    stem: str
    module: str
    function: str
    contents: str
    many: bool = False


PLUGIN_PAGES: list[PagePlugin] = [
    PagePlugin(
        "shared-values", "workshop_kit.charts.values", "couple_values_figure", "Our shared values"
    ),
    PagePlugin(
        "appreciation-card",
        "workshop_kit.charts.appreciation",
        "appreciation_card_pages",
        "Our appreciation card",
        many=True,
    ),
    PagePlugin(
        "next-steps", "workshop_kit.charts.exercises", "next_steps_figure", "Our next steps"
    ),
]


@dataclass
class PacksResult:
    """What :func:`build_all_packs` wrote."""

    packs: dict[str, list[Path]] = field(default_factory=dict)
    room_summary: Path | None = None
    workers: int = 1

    @property
    def pdfs(self) -> list[Path]:
        return [paths[0] for paths in self.packs.values()]


# -- one couple ------------------------------------------------------------------------
def lowest_themes(table, known: list[str] | None = None, n: int = LOWEST_THEMES) -> list[str]:
    """The couple's lowest check-in themes (couple level, latest phase shown), lowest first.

    ``table`` is :func:`workshop_kit.couple.couple_scores` of the themes; ``known`` keeps
    only themes that have suggestions. Ties keep the check-in's order.
    """
    if table.empty:
        return []
    shown = table.dropna(subset=["couple_mean"])
    for phase in ("after", "before"):
        rows = shown[shown["phase"] == phase]
        if not rows.empty:
            break
    else:
        return []
    if known is not None:
        rows = rows[rows["subscale"].isin(known)]
    rows = rows.reset_index(drop=True).reset_index()
    ordered = rows.sort_values(["couple_mean", "index"], kind="stable")
    return ordered["subscale"].head(n).tolist()


def _plugin_figures(
    plugin: PagePlugin, session: Session, code: str, paper: str, **kwargs
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
        from ..exercises import GENERAL, load_exercises
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
    for plugin in PLUGIN_PAGES:
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


def _inside(out_dir: Path, code: str) -> Path:
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


# -- the room summary --------------------------------------------------------------------
def build_room_summary(
    session: Session, out_dir: Path | str, paper: str = "A4", results: CheckinResults | None = None
) -> Path:
    """Write ``out_dir/room-summary.pdf``: the room before/after per measure, k-suppressed."""
    paper = paper_name(paper)
    results = results if results is not None else checkin_results(session)
    change = room_change(results, session.k)
    content = session.content
    checkin = content.instrument("checkin")
    measures = [("checkin", checkin.name, {s.id: s.name for s in checkin.subscales}, (1, 5))]
    ios = content.instrument(IOS_ID)
    measures.append((IOS_ID, ios.name, {IOS_ID: ios.name}, (ios.min, ios.max)))
    for inst_id in results.totals:
        inst = content.instrument(inst_id)
        measures.append(
            (inst_id, inst.name, {inst_id: inst.name}, (inst.total_min, inst.total_max))
        )
    figures = room_summary_pages(
        session.title, session.date, session.k, checkins_received(session), change, measures, paper
    )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / ROOM_SUMMARY
    _write_pdf(path, figures, "Room summary")
    return path


# -- every couple ------------------------------------------------------------------------
def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def choose_workers(couples: int, cores: int | None = None) -> int:
    """How many processes to use: one per core, but only with enough couples to share.

    >>> choose_workers(40, cores=2), choose_workers(5, cores=2), choose_workers(40, cores=1)
    (2, 1, 1)
    """
    cores = available_cores() if cores is None else cores
    return max(1, min(cores, couples // MIN_COUPLES_PER_WORKER))


_WORKER: dict = {}


def _start_worker(store_path: str, paper: str, out_dir: str) -> None:
    session = Session.open(store_path)  # each process reads the store through its own link
    _WORKER.update(session=session, results=checkin_results(session), paper=paper, out_dir=out_dir)


def _worker_pack(code: str) -> tuple[str, list[Path]]:
    w = _WORKER
    return code, build_pack(w["session"], code, w["out_dir"], w["paper"], w["results"])


def build_all_packs(
    session: Session,
    out_dir: Path | str,
    paper: str = "A4",
    workers: int | None = None,
    progress: Progress | None = None,
) -> PacksResult:
    """Write every couple's pack and the room summary into ``out_dir``.

    Parameters
    ----------
    session : Session
        The session; worker processes open the same store file by its path.
    out_dir : path
        The folder to write into (created when missing).
    paper : {"A4", "Letter"}
    workers : int, optional
        Processes to use; by default one per core when there are enough couples
        (:func:`choose_workers`), else the packs are built one after another here.
    progress : callable, optional
        Called as ``progress(done, total)`` after each couple (and once with 0 first).
    """
    paper = paper_name(paper)
    codes = session.couple_codes()
    for code in codes:
        check_code_format(code)
    if workers is None:
        workers = choose_workers(len(codes))
    if not isinstance(workers, int) or workers < 1:
        raise InputError(f"workers must be a whole number of at least 1; not {workers!r}")
    workers = min(workers, max(1, len(codes)))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    results = checkin_results(session)
    result = PacksResult(workers=workers)
    total = len(codes)
    if progress:
        progress(0, total)
    if workers == 1:
        for done, code in enumerate(codes, start=1):
            result.packs[code] = build_pack(session, code, out, paper, results)
            if progress:
                progress(done, total)
    else:
        with ProcessPoolExecutor(
            workers,
            mp_context=_context(),
            initializer=_start_worker,
            initargs=(str(session.path), paper, str(out)),
        ) as pool:
            futures = [pool.submit(_worker_pack, code) for code in codes]
            found: dict[str, list[Path]] = {}
            for done, future in enumerate(as_completed(futures), start=1):
                code, paths = future.result()
                found[code] = paths
                if progress:
                    progress(done, total)
        result.packs = {code: found[code] for code in codes}
    result.room_summary = build_room_summary(session, out, paper, results)
    return result


def _context():
    # fork starts a worker in milliseconds with the kit already imported; elsewhere spawn
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def text_progress(stream) -> Progress:
    """A one-line text progress bar for a terminal (rewritten in place)."""

    def show(done: int, total: int) -> None:
        width = 30
        filled = width if total == 0 else math.floor(width * done / total)
        stream.write(f"\rTake-home packs [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show
