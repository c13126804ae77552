"""Printable paper forms, made from the same content as the laptop screens.

A multi-page PDF: the check-in (before and after), the shared-values sort sheet and the
appreciation words, each with boxes for the couple code and the partner. Answers are
numbered in the order the fast entry widget expects (:func:`workshop_kit.paper.form_fields`),
so a form is typed back in as one row of characters. With a session, each couple code
gets its own forms, code and partner printed.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..charts.ios import ios_scale
from ..charts.style import GREY, INK, LIGHT_GREY, PAPER_SIZES, chart_style, paper_size
from ..content import CheckinContent, load_checkin
from ..errors import InputError
from ..i18n import N_, gettext_for
from ..paper import form_fields, form_legend
from ..session import PARTNERS, PHASES, Session
from .private_files import private_file

MARGIN = 0.6
CODE_BOXES = 6
PDF_METADATA = {"Creator": "Couples Workshop Kit", "CreationDate": None, "ModDate": None}
PHASE_TITLES = {"before": N_("at the start"), "after": N_("at the end")}


@dataclass
class Look:
    """Type sizes (points) and spacing (inches) of normal or large print."""

    body: float = 10.5
    small: float = 8.5
    title: float = 17
    box: float = 0.26
    line: float = 0.2

    @classmethod
    def of(cls, large_print: bool) -> Look:
        if large_print:
            return cls(body=15, small=12, title=22, box=0.36, line=0.29)
        return cls()

    @property
    def indent(self) -> float:
        """Room for an answer number such as "33." before its text."""
        return self.body / 72 * 2.9

    def chars(self, width_in: float, size: float | None = None) -> int:
        """About how many characters of body text fit in ``width_in`` inches."""
        return max(10, int(width_in * 72 / ((size or self.body) * 0.55)))


@dataclass
class Pager:
    """Lays out text and boxes from the top of a page down, starting new pages as needed."""

    paper: tuple[float, float]
    look: Look
    header: tuple[str, str, str | None, str | None]  # title, subtitle, couple code, partner
    pages: list[Figure] = field(default_factory=list)
    y: float = 0.0
    language: str = "en"  # the words of the header and the page numbers

    @property
    def _(self):
        return gettext_for(self.language)

    @property
    def fig(self) -> Figure:
        return self.pages[-1]

    @property
    def width(self) -> float:
        return self.paper[0] - 2 * MARGIN

    def new_page(self) -> None:
        self.pages.append(Figure(figsize=self.paper))
        self.y = self.paper[1] - MARGIN
        self._draw_header()

    def need(self, height: float) -> None:
        if not self.pages or self.y - height < MARGIN + 0.45:
            self.new_page()

    def text(self, x: float, y: float, s: str, size: float, **kw) -> None:
        self.fig.text(
            x,
            y,
            s,
            fontsize=size,
            transform=self.fig.dpi_scale_trans,
            color=kw.pop("color", INK),
            **kw,
        )

    def box(
        self, x: float, y: float, w: float, h: float, label: str = "", filled: str = ""
    ) -> None:
        self.fig.add_artist(
            Rectangle(
                (x, y),
                w,
                h,
                transform=self.fig.dpi_scale_trans,
                fill=False,
                edgecolor=INK,
                linewidth=0.9,
            )
        )
        if filled:
            self.text(
                x + w / 2,
                y + h / 2,
                filled,
                self.look.body * 1.1,
                ha="center",
                va="center",
                fontweight="bold",
            )
        elif label:
            self.text(
                x + w / 2, y + h / 2, label, self.look.small, ha="center", va="center", color=GREY
            )

    def paragraph(
        self,
        s: str,
        size: float | None = None,
        indent: float = 0.0,
        width: float | None = None,
        **kw,
    ) -> None:
        size = size or self.look.body
        lines = textwrap.wrap(
            " ".join(s.split()), self.look.chars((width or self.width) - indent, size)
        )
        step = self.look.line * size / self.look.body
        for line in lines:
            self.need(step)
            self.text(MARGIN + indent, self.y, line, size, va="top", **kw)
            self.y -= step
        self.y -= step * 0.35

    def _draw_header(self) -> None:
        title, subtitle, code, partner = self.header
        look, top = self.look, self.y
        self.text(MARGIN, top, title, look.title, va="top", fontweight="bold")
        self.text(MARGIN, top - look.title / 72 * 1.45, subtitle, look.small, va="top", color=GREY)
        # couple code and partner boxes at the top right
        size = look.box
        right = self.paper[0] - MARGIN
        x0 = right - CODE_BOXES * size - 0.1
        y_code = top - size
        title_width = len(title) * look.title / 72 * 0.62
        if MARGIN + title_width > x0 - 1.4:  # large print: the boxes go under the title
            y_code = top - look.title / 72 * 1.45 - look.small / 72 * 1.6 - size
        self.text(
            x0 - 0.08, y_code + size / 2, self._("Couple code"), look.small, ha="right", va="center"
        )
        letters = list(code or "")
        for i in range(CODE_BOXES):
            self.box(
                x0 + i * size, y_code, size, size, filled=letters[i] if i < len(letters) else ""
            )
        y_partner = y_code - size - 0.08
        self.text(
            x0 - 0.08,
            y_partner + size / 2,
            self._("Partner (tick one)"),
            look.small,
            ha="right",
            va="center",
        )
        for i, letter in enumerate(PARTNERS):
            x = x0 + i * 2.2 * size
            self.box(x, y_partner, size, size, filled="✓" if partner == letter else "")
            self.text(x + size * 1.15, y_partner + size / 2, letter, look.body, va="center")
        self.y = y_partner - 0.3
        self.fig.add_artist(
            Rectangle(
                (MARGIN, self.y + 0.12),
                self.width,
                0.012,
                transform=self.fig.dpi_scale_trans,
                color=LIGHT_GREY,
            )
        )


# -- sections ---------------------------------------------------------------------------
def checkin_pages(
    content: CheckinContent,
    phase: str,
    paper=PAPER_SIZES["A4"],
    large_print: bool = False,
    couple_code: str | None = None,
    partner: str | None = None,
) -> list[Figure]:
    """The check-in of one phase: every shown item, the circles and the yes/no questions.

    The form's words are in ``content.language`` (the content's words and the catalogue's);
    its answer numbers are the same in every language (:func:`workshop_kit.paper.form_fields`),
    so a form typed in is stored and scored the same whatever its language. The note for
    the facilitator at the foot stays English.
    """
    if phase not in PHASES:
        raise InputError(f"phase must be one of {list(PHASES)}; not {phase!r}")
    look = Look.of(large_print)
    language = content.language
    _ = gettext_for(language)
    pager = Pager(
        paper,
        look,
        (
            _("Connection check-in: %(when)s") % {"when": _(PHASE_TITLES[phase])},
            _("One form per person"),
            couple_code,
            partner,
        ),
        language=language,
    )
    fields = form_fields(content)
    pager.new_page()
    checkin = content.instrument("checkin")
    pager.paragraph(checkin.intro)
    pager.paragraph(
        _("Circle one number for each sentence. Leave a line empty to skip it."),
        size=look.small,
        color=GREY,
    )
    by_key = {f.key: f for f in fields}
    for inst in content.shown_instruments:
        if inst.kind == "picture":
            _picture(pager, inst, by_key[inst.id].number)
        else:
            _items(pager, inst, by_key)
    pager.need(look.line * 2)
    pager.y -= look.line * 0.5
    for f in (f for f in fields if f.kind == "flag"):
        _yes_no(pager, f.number, f.text, next(fl.help for fl in content.flags if fl.id == f.key))
    legend = "; ".join(
        f"{a}-{b}: {allowed}" if a != b else f"{a}: {allowed}"
        for a, b, allowed in form_legend(fields)
    )
    _footers(
        pager,
        f"For the facilitator: type answers 1-{len(fields)} in order ({legend}); "
        "- for an empty one.",
    )
    return pager.pages


def _scale_header(pager: Pager, inst, x_boxes: float, step: float) -> None:
    look = pager.look
    lo, hi = inst.value_range
    rows = {
        v: textwrap.wrap(inst.anchors.get(v, ""), 9, break_long_words=False)
        for v in range(lo, hi + 1)
    }
    height = max(len(r) for r in rows.values()) * look.small / 72 * 1.2 + 0.05
    pager.need(height + look.box * 2)
    for i, v in enumerate(range(lo, hi + 1)):
        for j, line in enumerate(rows[v]):
            pager.text(
                x_boxes + i * step + look.box / 2,
                pager.y - j * look.small / 72 * 1.2,
                line,
                look.small,
                ha="center",
                va="top",
                color=GREY,
            )
    pager.y -= height


def _items(pager: Pager, inst, by_key) -> None:
    look = pager.look
    lo, hi = inst.value_range
    step = look.box * 2.4
    x_boxes = pager.paper[0] - MARGIN - (hi - lo) * step - look.box
    text_width = x_boxes - MARGIN - look.indent - 0.1
    _scale_header(pager, inst, x_boxes, step)
    for item in inst.items:
        number = by_key[item.id].number
        lines = textwrap.wrap(item.text, look.chars(text_width))
        height = max(len(lines) * look.line, look.box) + 0.08
        if pager.y - height < MARGIN + 0.45:
            pager.new_page()
            _scale_header(pager, inst, x_boxes, step)
        top = pager.y
        pager.text(MARGIN, top, f"{number}.", look.body, va="top", fontweight="bold")
        for j, line in enumerate(lines):
            pager.text(MARGIN + look.indent, top - j * look.line, line, look.body, va="top")
        for i, v in enumerate(range(item.min, item.max + 1)):
            pager.box(x_boxes + i * step, top - look.box, look.box, look.box, label=str(v))
        pager.y = top - height
        pager.fig.add_artist(
            Rectangle(
                (MARGIN, pager.y + 0.05),
                pager.width,
                0.004,
                transform=pager.fig.dpi_scale_trans,
                color=LIGHT_GREY,
            )
        )


def _picture(pager: Pager, inst, number: int) -> None:
    look = pager.look
    height = 1.5 if not pager.look.body > 12 else 1.9
    pager.need(height + 0.9)
    pager.y -= 0.1
    pager.text(MARGIN, pager.y, f"{number}.", look.body, va="top", fontweight="bold")
    pager.paragraph(
        f"{inst.name}. {inst.intro} " + pager._("Circle the number under your pair."),
        indent=look.indent,
    )
    fig = pager.fig
    w, h = fig.get_size_inches()
    ax = fig.add_axes((MARGIN / w, (pager.y - height) / h, pager.width / w, height / h))
    with chart_style("print"):
        ios_scale(ax)
    pager.y -= height + 0.15


def _yes_no(pager: Pager, number: int, question: str, help_text: str) -> None:
    look = pager.look
    pager.need(look.line * 3 + look.box)
    top = pager.y
    pager.text(MARGIN, top, f"{number}.", look.body, va="top", fontweight="bold")
    x_boxes = pager.paper[0] - MARGIN - look.box * 5.4
    width = x_boxes - MARGIN - 0.5
    pager.paragraph(question, indent=look.indent, width=width + look.indent)
    if help_text:
        pager.paragraph(
            help_text, size=look.small, indent=look.indent, color=GREY, width=width + look.indent
        )
    for i, word in enumerate((pager._("Yes"), pager._("No"))):
        x = x_boxes + i * look.box * 2.9
        pager.box(x, top - look.box, look.box, look.box)
        pager.text(x + look.box * 1.2, top - look.box / 2, word, look.body, va="center")
    pager.y = min(pager.y, top - look.box - 0.1) - 0.08


def values_pages(
    paper=PAPER_SIZES["A4"],
    large_print: bool = False,
    couple_code: str | None = None,
    partner: str | None = None,
) -> list[Figure]:
    """The shared-values sort sheet: numbered cards with V / I / N boxes and top-5 slots."""
    from ..values import PILE_LABELS, PILE_LETTERS, TOP_N, values_form_rows

    look = Look.of(large_print)
    pager = Pager(
        paper, look, ("Shared values: my card sort", "One sheet per person", couple_code, partner)
    )
    pager.new_page()
    letters = list(PILE_LETTERS)
    legend = ", ".join(
        f"{letter} = {PILE_LABELS[PILE_LETTERS[letter]].lower()}" for letter in letters
    )
    pager.paragraph(
        "Read each value and tick one box: how much does it matter to you in "
        f"your relationship? ({legend}.) Then, at the end, write the numbers of "
        f"your {TOP_N} most important values, the most important first."
    )
    step = look.box * 1.6
    x_boxes = pager.paper[0] - MARGIN - (len(letters) - 1) * step - look.box
    text_width = x_boxes - MARGIN - look.indent - 0.1

    def column_heads() -> None:
        for i, letter in enumerate(letters):
            pager.text(
                x_boxes + i * step + look.box / 2,
                pager.y,
                letter,
                look.body,
                ha="center",
                va="top",
                fontweight="bold",
            )
        pager.y -= look.line * 1.2

    column_heads()
    for row in values_form_rows():
        lines = textwrap.wrap(f"{row['description']}", look.chars(text_width, look.small))
        height = look.line + len(lines) * look.line * look.small / look.body + 0.1
        if pager.y - height < MARGIN + 0.45:
            pager.new_page()
            column_heads()
        top = pager.y
        pager.text(MARGIN, top, f"{row['number']}.", look.body, va="top", fontweight="bold")
        pager.text(
            MARGIN + look.indent, top, str(row["name"]), look.body, va="top", fontweight="bold"
        )
        for j, line in enumerate(lines):
            pager.text(
                MARGIN + look.indent,
                top - look.line - j * look.line * look.small / look.body,
                line,
                look.small,
                va="top",
                color=GREY,
            )
        for i in range(len(letters)):
            pager.box(x_boxes + i * step, top - look.box, look.box, look.box)
        pager.y = top - height
    pager.need(look.box * 3 + look.line * 3)
    pager.y -= look.line
    pager.paragraph(
        f"My top {TOP_N}: write a value's number in each box, most important first.",
        fontweight="bold",
    )
    for i in range(TOP_N):
        x = MARGIN + i * (look.box * 4.2)
        pager.text(x, pager.y - look.box * 0.75, f"{i + 1}.", look.body, va="center")
        pager.box(x + 0.3, pager.y - look.box * 1.25, look.box * 2.4, look.box * 1.1)
    pager.y -= look.box * 1.6
    _footers(
        pager,
        "For the facilitator: type a letter per value in order (V, I, N or - for "
        f"not sorted), then the top {TOP_N} numbers.",
    )
    return pager.pages


def words_pages(
    paper=PAPER_SIZES["A4"],
    large_print: bool = False,
    couple_code: str | None = None,
    partner: str | None = None,
    language: str = "en",
) -> list[Figure]:
    """The appreciation words: the question and lines for one to three words (in
    ``language``)."""
    from ..appreciation import load_appreciation

    rules = load_appreciation(language=language).words
    look = Look.of(large_print)
    _ = gettext_for(language)
    pager = Pager(
        paper,
        look,
        (_("Appreciation words"), _("One form per person"), couple_code, partner),
        language=language,
    )
    pager.new_page()
    pager.paragraph(rules.question)
    pager.paragraph(
        _("Only single words are shown to the room, and only words that several people gave."),
        size=look.small,
        color=GREY,
    )
    for i in range(rules.max):
        pager.y -= look.line * 2.4
        pager.text(MARGIN, pager.y + 0.05, f"{i + 1}.", look.body, va="bottom")
        pager.fig.add_artist(
            Rectangle(
                (MARGIN + 0.35, pager.y), 3.6, 0.012, transform=pager.fig.dpi_scale_trans, color=INK
            )
        )
    return pager.pages


def _footers(pager: Pager, note: str) -> None:
    for i, fig in enumerate(pager.pages, start=1):
        fig.text(
            MARGIN,
            MARGIN * 0.55,
            note,
            fontsize=pager.look.small * 0.85,
            color=GREY,
            transform=fig.dpi_scale_trans,
            va="bottom",
            wrap=True,
        )
        fig.text(
            pager.paper[0] - MARGIN,
            MARGIN * 0.55 - 0.02,
            pager._("%(title)s · page %(n)s of %(total)s")
            % {"title": pager.header[0], "n": i, "total": len(pager.pages)},
            fontsize=pager.look.small * 0.85,
            color=GREY,
            ha="right",
            va="top",
            transform=fig.dpi_scale_trans,
        )


# -- the document ---------------------------------------------------------------------
def form_pages(
    session: Session | None = None,
    paper: str = "A4",
    large_print: bool = False,
    language: str | None = None,
) -> Iterator[Figure]:
    """Every page of the forms: blank ones, or one set per couple code and partner.

    The check-in is in ``language`` (blank forms: English by default); a session's forms
    are each in the language its partner chose (the room's when they chose none), unless
    ``language`` is given.
    """
    size = paper_size(paper)
    if session is not None:
        content = session.content_in(language or session.language)
    else:
        content = load_checkin(language=language or "en")
    people = [(None, None)]
    if session is not None:
        codes = session.couple_codes()
        if not codes:
            raise InputError("the session has no couple codes yet; add couples first")
        people = [(code, partner) for code in codes for partner in PARTNERS]
    for code, partner in people:
        who = {"couple_code": code, "partner": partner}
        own = content
        if session is not None and language is None:
            own = session.content_in(session.partner_language(code, partner))
        for phase in PHASES:
            yield from checkin_pages(own, phase, size, large_print, **who)
        yield from values_pages(size, large_print, **who)
        yield from words_pages(size, large_print, **who, language=own.language)


def write_forms(
    path: Path | str,
    session: Session | None = None,
    paper: str = "A4",
    large_print: bool = False,
    language: str | None = None,
) -> int:
    """Write the forms as one PDF (fonts embedded); return the number of pages."""
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise InputError(f"--out must end in .pdf; not {path.name!r}")
    if not path.parent.is_dir():
        raise InputError(f"the folder {str(path.parent)!r} does not exist; create it first")
    count = 0
    with (
        private_file(path) as tmp,
        chart_style("print"),
        PdfPages(tmp, metadata=PDF_METADATA) as pdf,
    ):
        for fig in form_pages(session, paper, large_print, language):
            pdf.savefig(fig)
            count += 1
    return count
