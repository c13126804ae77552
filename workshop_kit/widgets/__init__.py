"""ipywidgets views over the session store: each widget reads and writes through Session."""
