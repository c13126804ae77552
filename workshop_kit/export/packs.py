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
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..charts.style import paper_name
from ..errors import InputError
from ..pack_data import couple_pack_data
from ..published import publish_checkin
from ..results import IOS_ID, CheckinResults, checkin_results, checkins_received
from ..session import Session, check_code_format
from .pages import (
    CoupleFacts,
    Look,
    NoteProblem,
    card_page,
    closeness_page,
    connection_page,
    cover_page,
    document,
    next_steps_page,
    room_summary_pages,
    support_page,
    values_page,
)
from .private_files import private_file, private_folder
from .raster import render_pages
from .typeset import compile_pdf

PDF_METADATA = {"Creator": "Couples Workshop Kit", "CreationDate": None, "ModDate": None}
PNG_DPI = 100
PACK_SUFFIX = "take-home.pdf"
LARGE_SUFFIX = "take-home-large-print.pdf"
ROOM_SUMMARY = "room-summary.pdf"
TEMPLATE = "pack.typ"
# Below this many couples a process pool costs more to start than it saves (measured with
# benchmarks/bench_packs.py on a 2-core machine).
MIN_COUPLES_PER_WORKER = 4
LOWEST_THEMES = 3

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PagePlugin:
    """A pack page from another part of the kit: ``function(session, code, facts, look, ctx)``.

    ``function`` returns a list of page dicts (:mod:`workshop_kit.export.pages`); ``module``
    is the part of the kit it needs, and when that is not installed the page is left out.
    ``ctx`` holds ``lowest_themes`` and ``problems`` (notes that cannot be printed).
    """

    stem: str
    module: str
    function: Callable[..., list[dict]]
    contents: str


PLUGIN_PAGES: list[PagePlugin] = [
    PagePlugin(
        "shared-values",
        "workshop_kit.values",
        lambda session, code, facts, look, ctx: values_page(session, code, facts, look),
        "Our shared values",
    ),
    PagePlugin(
        "appreciation-card",
        "workshop_kit.appreciation",
        lambda session, code, facts, look, ctx: card_page(session, code, look, ctx["problems"]),
        "Our appreciation card",
    ),
    PagePlugin(
        "next-steps",
        "workshop_kit.exercises",
        lambda session, code, facts, look, ctx: next_steps_page(
            session, code, facts, look, ctx["lowest_themes"]
        ),
        "Our next steps",
    ),
]


@dataclass
class PacksResult:
    """What :func:`build_all_packs` wrote, and what the facilitator should know."""

    packs: dict[str, list[Path]] = field(default_factory=dict)
    room_summary: Path | None = None
    workers: int = 1
    warnings: list[str] = field(default_factory=list)

    @property
    def pdfs(self) -> list[Path]:
        return [paths[0] for paths in self.packs.values()]


class NoteCannotPrint(UserWarning):
    """A shared note holds characters no installed font can draw (named in the message)."""


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


def _installed(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return False  # that part of the kit is not installed: its page is left out
        raise
    return True


def _known_themes() -> list[str] | None:
    try:
        from ..exercises import GENERAL, load_exercises
    except ModuleNotFoundError:
        return None
    return [t for t in load_exercises().suggestions if t != GENERAL]


def couple_document(
    session: Session,
    couple_code: str,
    paper: str = "A4",
    results: CheckinResults | None = None,
    large: bool = False,
    problems: list[NoteProblem] | None = None,
    look: Look | None = None,
) -> dict:
    """Everything one couple's pack shows, page by page, as the template's JSON document.

    Nothing is written. ``problems`` (a list) collects the shared notes that hold
    characters no installed font can draw. Each page carries its ``stem`` (the name of
    its PNG).
    """
    look = look or Look(paper=paper, large=large, **_programme_look(session))
    results = results if results is not None else checkin_results(session)
    data = couple_pack_data(session, couple_code, results)  # consent decided there, once
    code = data.couple_code
    facts = CoupleFacts(code, session.title, session.date, data.show_individual)
    names, themes, ios, totals = data.theme_names, data.themes, data.ios, data.totals
    pages: list[dict] = []
    contents: list[str] = []

    def add(stem: str, found: list[dict], line: str) -> None:
        for number, page in enumerate(found, start=1):
            pages.append({**page, "stem": stem if number == 1 else f"{stem}-{number}"})
        if found:
            contents.append(line)

    add(
        "connection-by-theme",
        [connection_page(facts, themes, names, look)],
        "Our connection, before and after",
    )
    add(
        "closeness",
        [closeness_page(facts, ios, totals, look)],
        "How close we feel" + "".join(f" · {inst.name}" for inst, _ in totals),
    )
    known = _known_themes()
    ctx = {
        "lowest_themes": lowest_themes(themes, known) if known is not None else None,
        "problems": problems if problems is not None else [],
    }
    for plugin in PLUGIN_PAGES:
        if _installed(plugin.module):
            add(plugin.stem, plugin.function(session, code, facts, look, ctx), plugin.contents)
    add("support", [support_page(facts, session.support_resources, look)], "Where to find support")
    pages.insert(0, {**cover_page(facts, contents, look), "stem": "cover"})
    title = f"Take-home pack, couple {code}" + (", large print" if look.large else "")
    return document(title, pages, look, corner=f"Couple {code}")


def _programme_look(session: Session) -> dict:
    """A programme's own name, footer line and colour, from the session's settings."""
    look = session.print_look
    return {key: look[key] for key in ("programme", "footer", "accent", "logo_svg") if key in look}


def build_pack(
    session: Session,
    couple_code: str,
    out_dir: Path | str,
    paper: str = "A4",
    results: CheckinResults | None = None,
    large: bool = False,
    problems: list[NoteProblem] | None = None,
) -> list[Path]:
    """Write one couple's take-home pack into ``out_dir/<code>/``.

    Returns the paths written, the PDF first, then a PNG of every page but the cover and
    the support page. The couple code is checked before it becomes a folder name; files
    are written whole (to a temporary name, then renamed). A shared note that holds
    characters no installed font can draw is named in a :class:`NoteCannotPrint`
    warning (and added to ``problems`` when given).

    Parameters
    ----------
    session : Session
    couple_code : str
    out_dir : path
    paper : {"A4", "Letter"}
    results : CheckinResults, optional
        The session's scores, when already computed.
    large : bool
        Large print: every type size at least 18 pt (written as
        ``<code>-take-home-large-print.pdf``, without PNGs).
    problems : list, optional
        Collects a :class:`~workshop_kit.export.pages.NoteProblem` per note that cannot print.
    """
    code = check_code_format(couple_code)
    session.check_participant(code, "A")
    paper = paper_name(paper)
    found: list[NoteProblem] = []
    doc = couple_document(session, code, paper, results, large=large, problems=found)
    for problem in found:
        warnings.warn(problem.message(), NoteCannotPrint, stacklevel=2)
    if problems is not None:
        problems.extend(found)
    pdf, marks = compile_pdf(TEMPLATE, doc, marks="<pack-page>")
    private_folder(out_dir, own=False)
    folder = private_folder(_inside(Path(out_dir), code))
    pdf_path = folder / f"{code}-{LARGE_SUFFIX if large else PACK_SUFFIX}"
    _write_bytes(pdf_path, pdf)
    pngs = {}
    if not large:
        for index, stem in page_stems(marks, _page_count(pdf)).items():
            if stem not in ("cover", "support") and not stem.startswith(("cover-", "support-")):
                pngs[index] = folder / f"{code}-{stem}.png"
    return [pdf_path, *render_pages(pdf_path, pngs, PNG_DPI)]


def page_stems(marks: list[dict], pages: int) -> dict[int, str]:
    """Page index (0-based) -> stem: a section's overflow pages are ``<stem>-2``, ``-3`` ...

    ``marks`` are ``{"stem", "page"}`` (1-based) where each section starts.

    >>> page_stems([{"stem": "cover", "page": 1}, {"stem": "card", "page": 2}], 4)
    {0: 'cover', 1: 'card', 2: 'card-2', 3: 'card-3'}
    """
    starts = sorted((int(m["page"]) - 1, str(m["stem"])) for m in marks)
    out: dict[int, str] = {}
    for i, (first, stem) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else pages
        for number, index in enumerate(range(first, max(first + 1, end)), start=1):
            out[index] = stem if number == 1 else f"{stem}-{number}"
    return out


def _page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    document_ = pdfium.PdfDocument(pdf)
    try:
        return len(document_)
    finally:
        document_.close()


def _write_bytes(path: Path, data: bytes) -> None:
    with private_file(path) as tmp:  # 0600, whole or not at all
        tmp.write_bytes(data)


def _inside(out_dir: Path, code: str) -> Path:
    folder = out_dir / code
    if folder.resolve().parent != out_dir.resolve():
        raise InputError(f"couple code {code!r} cannot be used as a folder name")
    return folder


# -- the room summary --------------------------------------------------------------------
def build_room_summary(
    session: Session, out_dir: Path | str, paper: str = "A4", results: CheckinResults | None = None
) -> Path:
    """Write ``out_dir/room-summary.pdf``: the room before/after per measure, k-suppressed."""
    paper = paper_name(paper)
    results = results if results is not None else checkin_results(session)
    change = publish_checkin(session, results).change
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
    look = Look(paper=paper, **_programme_look(session))
    pages = room_summary_pages(
        session.title, session.date, session.k, checkins_received(session), change, measures, look
    )
    pdf, _marks = compile_pdf(TEMPLATE, document("Room summary", pages, look))
    out = private_folder(out_dir, own=False)
    path = out / ROOM_SUMMARY
    _write_bytes(path, pdf)
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


def _start_worker(store_path: str, paper: str, out_dir: str, large: bool = False) -> None:
    # one worker process per core, each compiling on one thread: Typst's own thread pool
    # (rayon) would otherwise start a thread per core in every worker and they would fight
    os.environ.setdefault("RAYON_NUM_THREADS", "1")
    session = Session.open(store_path)  # each process reads the store through its own link
    _WORKER.update(
        session=session,
        results=checkin_results(session),
        paper=paper,
        out_dir=out_dir,
        large=large,
    )


def _worker_pack(code: str) -> tuple[str, list[Path], list[NoteProblem]]:
    w = _WORKER
    problems: list[NoteProblem] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoteCannotPrint)  # the parent tells the facilitator
        paths = build_pack(
            w["session"], code, w["out_dir"], w["paper"], w["results"], w["large"], problems
        )
    return code, paths, problems


def build_all_packs(
    session: Session,
    out_dir: Path | str,
    paper: str = "A4",
    workers: int | None = None,
    progress: Progress | None = None,
    large: bool = False,
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
    large : bool
        Large-print packs (every type size at least 18 pt) instead of the usual ones.

    Returns
    -------
    PacksResult
        The files written, and ``warnings``: one sentence per shared note that holds
        characters no installed font can print (also given as :class:`NoteCannotPrint`).

    Notes
    -----
    Worker processes are started with ``forkserver`` (``spawn`` where there is none),
    never ``fork``: Typst compiles with a pool of threads, and a process forked after
    its parent compiled a document waits for that pool forever. Like every ``spawn`` or
    ``forkserver`` pool, a worker imports the script that started it (not a notebook or
    the ``workshop-kit`` command): a script calling this must keep its work under
    ``if __name__ == "__main__":``.
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
    out = private_folder(out_dir, own=False)
    results = checkin_results(session)
    result = PacksResult(workers=workers)
    problems: list[NoteProblem] = []
    total = len(codes)
    if progress:
        progress(0, total)
    if workers == 1:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NoteCannotPrint)  # told once, below
            for done, code in enumerate(codes, start=1):
                result.packs[code] = build_pack(session, code, out, paper, results, large, problems)
                if progress:
                    progress(done, total)
    else:
        with ProcessPoolExecutor(
            workers,
            mp_context=_context(),
            initializer=_start_worker,
            initargs=(str(session.path), paper, str(out), large),
        ) as pool:
            futures = [pool.submit(_worker_pack, code) for code in codes]
            found: dict[str, list[Path]] = {}
            for done, future in enumerate(as_completed(futures), start=1):
                code, paths, theirs = future.result()
                found[code] = paths
                problems.extend(theirs)
                if progress:
                    progress(done, total)
        result.packs = {code: found[code] for code in codes}
        problems.sort(key=lambda p: codes.index(p.couple_code))
    result.warnings = [p.message() for p in problems]
    for message in result.warnings:
        warnings.warn(message, NoteCannotPrint, stacklevel=2)
    result.room_summary = build_room_summary(session, out, paper, results)
    return result


def _context():
    """forkserver (or spawn): never fork a process that may have compiled with Typst."""
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        # the server imports the kit once; each worker forked from it starts with it loaded
        # (Typst and PDFium too: importing them compiles nothing, so forking stays safe)
        context.set_forkserver_preload(["workshop_kit.export.packs", "typst", "pypdfium2"])
        return context
    return multiprocessing.get_context("spawn")


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
