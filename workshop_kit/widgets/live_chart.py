"""The room dashboard's chart, redrawn fast while answers arrive.

A full matplotlib redraw (new figure, tight layout, every label rasterised, PNG encoded)
costs far more than the room's data. Between two answers almost nothing on the chart
moves: the titles, theme names, axes and legend stay put; only the bars and the figures
beside them change. :class:`LiveRoomChart` draws the whole chart once, keeps that
picture without its bars and figures as a background, and on each update draws only the
bars and figures again on top of it (matplotlib's blitting, with the Agg renderer).

When something that shapes the layout changes (the number of people, a phase appearing,
a theme reaching k people, the first answers arriving) it draws the whole chart again, so
what the room sees is always what :func:`dashboard_figure` draws.
"""

from __future__ import annotations

import io

import pandas as pd
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from ..charts.dashboard import received_bars, room_theme_bars
from ..charts.style import chart_style

FIGSIZE = (11.0, 8.25)
DPI = 93  # about 1024 x 768 pixels, the projector's usual size
# zlib level 1: about twice as fast to encode as the default, a somewhat larger file,
# which costs nothing on the kernel's local connection to the page.
PNG_COMPRESS_LEVEL = 1


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
    """The canvas as it stands, encoded as PNG."""
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


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
        self.background = None
        self.moving: list[Artist] = []
        self.spines: list[Artist] = []
        self.full_draws = 0
        self.fast_draws = 0

    def png(self, received: pd.DataFrame, means: pd.DataFrame) -> bytes:
        """Draw the chart for this data and return it as PNG bytes."""
        key = layout_key(received, means)
        if key != self.key or self.figure is None:
            self._draw_all(received, means)
            self.key = key
            self.full_draws += 1
        else:
            self._draw_moving(received, means)
            self.fast_draws += 1
        return png_bytes(self.canvas)

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
            self.background = self.canvas.copy_from_bbox(self.figure.bbox)
            self._draw_over_background()

    def _draw_over_background(self) -> None:
        for artist in sorted([*self.moving, *self.spines], key=Artist.get_zorder):
            self.figure.draw_artist(artist)

    def _draw_moving(self, received: pd.DataFrame, means: pd.DataFrame) -> None:
        received_ax, themes_ax = self.figure.axes
        for ax in self.figure.axes:
            for container in list(ax.containers):  # else the legend would list old bars too
                container.remove()
        for artist in self.moving:
            if artist.axes is not None:
                artist.remove()
        with chart_style("projector"):
            # The same drawing functions as a full redraw, into the same axes: ticks,
            # limits, titles and legend come out as before; only bars and figures move.
            received_bars(received, ax=received_ax)
            room_theme_bars(means, self.names, self.k, ax=themes_ax)
            self.moving = self._moving_artists()
            for artist in self.moving:
                artist.set_animated(True)
            self.canvas.restore_region(self.background)
            self._draw_over_background()
