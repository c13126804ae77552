"""Moved to :mod:`workshop_kit.charts.live` (chart code lives in ``charts/``); kept so old
imports still work."""

from ..charts.live import DPI, FIGSIZE, LiveRoomChart, dashboard_figure, layout_key, png_bytes

__all__ = ["DPI", "FIGSIZE", "LiveRoomChart", "dashboard_figure", "layout_key", "png_bytes"]
