"""ipywidgets views over the session store: each widget reads and writes through Session."""


def _show_figures_as_pictures() -> None:
    # The kit's charts are bare matplotlib Figures (never pyplot), and IPython only learns to
    # show a Figure as a picture once pyplot is imported: without this, a notebook or Voilà
    # page would print "<Figure size ...>" where the room chart belongs.
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import select_figure_formats
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return
    shell = get_ipython()
    if shell is not None and hasattr(shell, "display_formatter"):
        select_figure_formats(shell, {"png"})


_show_figures_as_pictures()
