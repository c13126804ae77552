"""PNG pictures of a PDF's pages, rendered from the PDF itself.

A take-home pack is drawn once, by matplotlib, into its PDF; each chart page's PNG is
then rendered from that PDF with PDFium (``pypdfium2``). Drawing every page a second
time with matplotlib's raster renderer cost about as much again as the PDF (most of it
laying out and rasterising text); PDFium renders the same page in a few tens of
milliseconds, and the PNG is exactly what the printed page shows.

Rendering is deterministic: the same PDF gives byte-identical PNGs (no metadata is
written into them).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import InputError
from .private_files import private_file

POINTS_PER_INCH = 72
# zlib level 6 (Pillow's default) took about a third of the time of a page for files
# only about a tenth smaller than level 1 on the pack pages.
PNG_COMPRESS_LEVEL = 1


def render_pages(pdf_path: Path | str, pngs: Mapping[int, Path | str], dpi: float) -> list[Path]:
    """Write page ``i`` (0-based) of ``pdf_path`` to ``pngs[i]`` at ``dpi``, for each ``i``.

    Each PNG is written whole (to a temporary name, then renamed). Returns the PNG paths in
    the order given.

    Parameters
    ----------
    pdf_path : path
        A PDF written by the kit.
    pngs : mapping of int to path
        Page index (0-based) to the PNG file to write.
    dpi : float
        Pixels per inch; an A4 page at 100 dpi is 827 × 1170 pixels (PDFium rounds up).
    """
    import pypdfium2 as pdfium

    written = []
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        missing = sorted(i + 1 for i in pngs if not 0 <= i < len(document))
        if missing:
            raise InputError(
                f"{Path(pdf_path).name} has {len(document)} pages; there is no page "
                f"{', '.join(map(str, missing))} to draw"
            )
        for index, png in pngs.items():
            page = document[index]
            try:
                image = page.render(scale=dpi / POINTS_PER_INCH).to_pil()
            finally:
                page.close()
            path = Path(png)
            with private_file(path) as tmp:  # 0600, whole or not at all
                image.save(tmp, format="png", compress_level=PNG_COMPRESS_LEVEL)
            written.append(path)
    finally:
        document.close()
    return written
