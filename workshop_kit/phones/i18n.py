"""The phone pages' words: one gettext catalogue (``workshop_kit/locale``), Babel-made.

Every participant-facing string of the phone pages is marked (``_("...")`` in templates and
in :mod:`workshop_kit.phones.app`), extracted to ``messages.pot`` by ``make messages`` and
translated in ``locale/<lang>/LC_MESSAGES/messages.po``; the compiled ``.mo`` files are
committed so a fresh checkout runs without Babel. The language is the first one the phone
asks for (``Accept-Language``) that has a catalogue, else English.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"


def languages() -> tuple[str, ...]:
    """The languages with a compiled catalogue, English first.

    >>> languages()[0]
    'en'
    """
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (DEFAULT_LANGUAGE, *[lang for lang in found if lang != DEFAULT_LANGUAGE])


def pick_language(accept_language: str | None, available: tuple[str, ...] | None = None) -> str:
    """The best language of ``available`` for an ``Accept-Language`` header.

    >>> pick_language("es-MX,es;q=0.9,en;q=0.5", ("en", "es"))
    'es'
    >>> pick_language("fr-FR,fr;q=0.9", ("en", "es"))
    'en'
    >>> pick_language(None, ("en",))
    'en'
    """
    available = available or languages()
    wanted = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            wanted.append((-quality, position, tag.strip().lower()))
    for _q, _p, tag in sorted(wanted):
        for candidate in (tag, tag.split("-")[0]):
            if candidate in available:
                return candidate
    return DEFAULT_LANGUAGE


@lru_cache(maxsize=8)
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of ``language`` (English words as they are, when none is found)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def fill_english(po_path: Path | str | None = None) -> int:
    """Make the English catalogue complete: every message's English is its own id.

    Run by ``make messages`` after ``pybabel update`` (needs Babel, a test dependency).
    Returns how many messages were filled in.
    """
    from babel.messages.pofile import read_po, write_po

    path = Path(po_path) if po_path else LOCALE_DIR / "en" / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    filled = 0
    for message in catalog:
        if message.id and not message.string:
            message.string = message.id
            filled += 1
        message.flags.discard("fuzzy")
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=True, omit_header=False)
    return filled
