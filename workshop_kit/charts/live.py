"""The room dashboard's chart, redrawn fast while answers arrive.

A full matplotlib redraw (new figure, tight layout, every label rasterised, PNG encoded)
costs far more than the room's data. Between two answers almost nothing on the chart
moves: the titles, theme names, axes and legend stay put; only the bars and the figures
beside them change. :class:`LiveRoomChart` draws the whole chart once, keeps that
picture without its bars and figures as a background, and on each update sets the new
lengths and figures on the same bar and text artists (matplotlib's blitting, with the
Agg renderer). Only the patches of the picture that changed are painted again: each is
restored from the background and every bar, figure and spine crossing it is drawn again,
in z-order and clipped to it, which gives the same pixels as drawing everything.

When something that shapes the layout changes (the number of people, a phase appearing,
a theme reaching k people, the first answers arriving) it draws the whole chart again, so
what the room sees is always what :func:`dashboard_figure` draws.
"""

from __future__ import annotations

import math
import struct
import zlib

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from PIL import Image

from .dashboard import (
    received_bars,
    room_theme_bars,
    update_received_bars,
    update_room_theme_bars,
)
from .style import chart_style, drawing

FIGSIZE = (11.0, 8.25)
DPI = 93  # about 1024 x 768 pixels, the projector's usual size
# zlib level 1 and no PNG row filter: about a third faster than Pillow's PNG writer
# (which tries every row filter on every row, even at level 0), for a file of about the
# same size (100 kB), which costs nothing on the kernel's local connection to the page.
PNG_COMPRESS_LEVEL = 1
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Pixels around an artist's box that its antialiased edges, strokes and glyphs may touch.
EXTENT_PAD = 3


def dashboard_figure(
    received: pd.DataFrame, means: pd.DataFrame, names: dict[str, str], k: int
) -> Figure:
    """Check-ins received above the room's theme averages, projector style.

    ``received`` is :func:`workshop_kit.results.checkins_received`, ``means``
    :func:`workshop_kit.results.session_theme_means` (k-suppressed).
    """
    with chart_style("projector"):
        fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="none")
        grid = fig.add_gridspec(2, 1, height_ratios=[1, 6])
        received_bars(received, ax=fig.add_subplot(grid[0]))
        room_theme_bars(means, names, k, ax=fig.add_subplot(grid[1]))
        fig.tight_layout()
    return fig


def layout_key(received: pd.DataFrame, means: pd.DataFrame) -> tuple:
    """What shapes the chart beyond its bars and figures; a change means a full redraw."""
    people = int(received["participants"].max()) if not received.empty else 0
    rows = ()
    if not means.empty:
        rows = tuple(
            sorted(
                (str(sub), str(phase), bool(hidden))
                for sub, phase, hidden in means[["subscale", "phase", "suppressed"]].itertuples(
                    index=False
                )
            )
        )
    return (people, tuple(received["phase"]), rows)


def png_bytes(canvas: FigureCanvasAgg) -> bytes:
    """The canvas as it stands, encoded as PNG (RGB when the figure is opaque, else RGBA).

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> canvas = FigureCanvasAgg(Figure(figsize=(1, 0.5), dpi=20))
    >>> canvas.draw()
    >>> Image.open(io.BytesIO(png_bytes(canvas))).size
    (20, 10)
    """
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    # An opaque figure background keeps every pixel opaque: the alpha channel says nothing.
    opaque = canvas.figure.get_facecolor()[3] == 1.0
    if opaque:
        image = image.convert("RGB")
    pixels = np.frombuffer(image.tobytes(), np.uint8).reshape(height, -1)
    rows = np.zeros((height, pixels.shape[1] + 1), np.uint8)  # each row: filter 0 (none)
    rows[:, 1:] = pixels
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if opaque else 6, 0, 0, 0)
    return b"".join(
        [
            PNG_SIGNATURE,
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), PNG_COMPRESS_LEVEL)),
            _png_chunk(b"IEND", b""),
        ]
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data and the CRC of type and data (PNG spec, 5.3)."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


class LiveRoomChart:
    """The dashboard chart as PNG bytes, redrawing only what moved since the last update.

    Examples
    --------
    >>> import pandas as pd
    >>> received = pd.DataFrame({"phase": ["before", "after"], "received": [6, 0],
    ...                          "participants": [8, 8]})
    >>> means = pd.DataFrame({"subscale": ["trust"], "phase": ["before"], "n": [6],
    ...                       "mean": [3.5], "suppressed": [False]})
    >>> chart = LiveRoomChart({"trust": "Trust"}, k=3)
    >>> chart.png(received, means)[:4], chart.full_draws, chart.fast_draws
    (b'\\x89PNG', 1, 0)
    >>> _ = chart.png(received, means.assign(mean=3.8))   # only a bar moved
    >>> chart.full_draws, chart.fast_draws
    (1, 1)
    """

    def __init__(self, names: dict[str, str], k: int):
        self.names = dict(names)
        self.k = k
        self.key: tuple | None = None
        self.figure: Figure | None = None
        self.canvas: FigureCanvasAgg | None = None
        self.background: np.ndarray | None = None  # RGBA pixels without the moving artists
        self.moving: list[Artist] = []
        self.spines: list[Artist] = []
        self.extents: dict[Artist, Bbox] = {}  # where each was last drawn, padded
        self.full_draws = 0
        self.fast_draws = 0
        self.repainted: list[Bbox] = []  # the patches the last fast update painted

    def png(self, received: pd.DataFrame, means: pd.DataFrame) -> bytes:
        """Draw the chart for this data and return it as PNG bytes."""
        key = layout_key(received, means)
        try:
            with drawing():  # one thread draws at a time (callbacks run on subshell threads)
                if (
                    key == self.key
                    and self.figure is not None
                    and self._draw_moving(received, means)
                ):
                    self.fast_draws += 1
                else:
                    self._draw_all(received, means)
                    self.key = key
                    self.full_draws += 1
                return png_bytes(self.canvas)
        except BaseException:
            # Half-updated artists or a half-painted canvas: draw everything next time.
            self.key = self.figure = None
            raise

    def _moving_artists(self) -> list[Artist]:
        # Bars and the figures beside them; titles, tick labels, legend and grid stay.
        return [a for ax in self.figure.axes for a in (*ax.patches, *ax.texts)]

    def _draw_all(self, received: pd.DataFrame, means: pd.DataFrame) -> None:
        self.figure = dashboard_figure(received, means, self.names, self.k)
        self.canvas = FigureCanvasAgg(self.figure)
        for ax in self.figure.axes:
            # Fix the limits as drawn now, so redrawn bars cannot shift the background.
            ax.set_xlim(ax.get_xlim())
            ax.set_ylim(ax.get_ylim())
        self.moving = self._moving_artists()
        # Spines sit above bars: left out of the background, drawn in z-order with the bars.
        self.spines = [s for ax in self.figure.axes for s in ax.spines.values() if s.get_visible()]
        for artist in [*self.moving, *self.spines]:
            artist.set_animated(True)
        with chart_style("projector"):
            self.canvas.draw()
            self.background = np.array(self.canvas.buffer_rgba())  # a copy
            self._draw_over_background()

    def _draw_over_background(self) -> None:
        for artist in sorted([*self.moving, *self.spines], key=Artist.get_zorder):
            self.figure.draw_artist(artist)
        self.extents = {a: self._extent(a) for a in [*self.moving, *self.spines]}

    def _extent(self, artist: Artist) -> Bbox:
        return artist.get_window_extent(self.canvas.get_renderer()).padded(EXTENT_PAD)

    def _draw_moving(self, received: pd.DataFrame, means: pd.DataFrame) -> bool:
        """Set the new lengths and figures on the drawn artists and paint what changed.

        Returns False, drawing nothing, when the figure does not hold the drawing the
        update functions expect (the caller then draws everything).
        """
        received_ax, themes_ax = self.figure.axes
        before = {artist: _state(artist) for artist in self.moving}
        if not (
            update_received_bars(received_ax, received)
            and update_room_theme_bars(themes_ax, means, self.names, self.k)
        ):
            return False
        patches = []
        for artist in self.moving:
            if _state(artist) != before[artist]:
                old, self.extents[artist] = self.extents[artist], self._extent(artist)
                patches.append(Bbox.union([old, self.extents[artist]]))
        self.repainted = _pixel_boxes(patches, *self.canvas.get_width_height())
        with chart_style("projector"):
            for box in self.repainted:
                self._repaint(box)
        return True

    def _repaint(self, box: Bbox) -> None:
        """Restore ``box`` from the background and draw again every artist crossing it."""
        height = self.canvas.get_width_height()[1]
        x0, y0, x1, y1 = (int(v) for v in box.extents)
        rows = slice(height - y1, height - y0)  # the buffer counts rows from the top
        pixels = np.asarray(self.canvas.buffer_rgba())  # the renderer's own buffer
        pixels[rows, x0:x1] = self.background[rows, x0:x1]
        for artist in sorted([*self.moving, *self.spines], key=Artist.get_zorder):
            if not self.extents[artist].overlaps(box):
                continue
            clip_box, clip_on = artist.get_clip_box(), artist.get_clip_on()
            clip = box if not (clip_on and clip_box) else Bbox.intersection(box, clip_box)
            if clip is None:
                continue
            artist.set_clip_box(clip)
            artist.set_clip_on(True)
            try:
                self.figure.draw_artist(artist)
            finally:
                artist.set_clip_box(clip_box)
                artist.set_clip_on(clip_on)


def _state(artist: Artist) -> tuple:
    """What an update may change on an artist: a bar's geometry, a text and its colour."""
    if isinstance(artist, Text):
        return (artist.get_text(), artist.get_color())
    if isinstance(artist, Rectangle):
        return (artist.get_x(), artist.get_y(), artist.get_width(), artist.get_height())
    return (id(artist), object())  # anything else: always painted again


def _pixel_boxes(boxes: list[Bbox], width: int, height: int) -> list[Bbox]:
    """The boxes widened to whole pixels, kept on the canvas, overlapping ones merged."""
    out: list[Bbox] = []
    for box in boxes:
        x0, y0, x1, y1 = box.extents
        box = Bbox.from_extents(
            max(math.floor(x0), 0),
            max(math.floor(y0), 0),
            min(math.ceil(x1), width),
            min(math.ceil(y1), height),
        )
        if box.width <= 0 or box.height <= 0:
            continue
        merged = True
        while merged:
            merged = False
            for other in out:
                if other.overlaps(box):
                    out.remove(other)
                    box = Bbox.union([box, other])
                    merged = True
                    break
        out.append(box)
    return out
