"""The kit's words in the participant's language: one gettext catalogue, made with Babel.

Participant-facing strings are marked ``_("...")`` (phone pages, the check-in widget, the
secret screen, the widgets' shared words), extracted to ``locale/messages.pot`` by
``make messages`` and translated in ``locale/<lang>/LC_MESSAGES/messages.po``; the compiled
``.mo`` files are committed, so a fresh checkout runs without Babel. Numbers and dates go
through Babel's ``format_decimal`` and ``format_date`` in the same language.

Pure: no ipywidgets, no matplotlib.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Callable
from datetime import date as Date
from functools import lru_cache
from pathlib import Path

from .errors import one_of

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"

#: Each language's own name, as a participant choosing it would look for it.
LANGUAGE_NAMES = {"en": "English", "es": "Español", "ar": "العربية"}


def N_(text: str) -> str:
    """Mark ``text`` for the catalogue without translating it yet (module constants)."""
    return text


def languages() -> tuple[str, ...]:
    """The languages with a compiled catalogue, English first.

    >>> languages()[:2]
    ('en', 'es')
    """
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (DEFAULT_LANGUAGE, *[lang for lang in found if lang != DEFAULT_LANGUAGE])


def check_language(language: str) -> str:
    """``language`` if the kit speaks it (a catalogue and content files), else an error.

    Raises
    ------
    InputError
        Naming the language and the ones allowed.

    >>> check_language("es")
    'es'
    """
    allowed = spoken_languages()
    if language not in allowed:
        raise one_of("language", language, allowed)
    return language


def spoken_languages() -> list[str]:
    """The languages a participant may choose: each has a catalogue and content files.

    >>> spoken_languages()
    ['en', 'es']
    """
    from .content import content_languages

    content = content_languages()
    return [lang for lang in languages() if lang in content]


@lru_cache(maxsize=8)
def translations(language: str) -> _gettext.NullTranslations:
    """The catalogue of ``language`` (the English words as they are, when none is found)."""
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def gettext_for(language: str) -> Callable[[str], str]:
    """The ``_`` function of ``language``.

    >>> gettext_for("es")("Next")
    'Siguiente'
    >>> gettext_for("en")("Next")
    'Next'
    """
    return translations(language).gettext


def language_name(language: str) -> str:
    """The language's own name ("Español"), or its code when the kit does not know it."""
    return LANGUAGE_NAMES.get(language, language)


def number(value: float, language: str, digits: int = 1) -> str:
    """``value`` written the way ``language`` writes numbers (Babel's ``format_decimal``).

    Parameters
    ----------
    value : float
        The number.
    language : str
        A language code.
    digits : int
        Digits after the decimal mark, at most (trailing zeros dropped).

    >>> number(3.25, "es", 2), number(3.25, "en", 2), number(1234.5, "es")
    ('3,25', '3.25', '1.234,5')
    """
    from babel.numbers import format_decimal

    return format_decimal(round(float(value), digits), locale=language)


def long_date(day: Date | str, language: str) -> str:
    """``day`` written out in ``language`` (Babel's ``format_date``, long format).

    >>> long_date("2026-03-14", "es"), long_date("2026-03-14", "en")
    ('14 de marzo de 2026', 'March 14, 2026')
    """
    from babel.dates import format_date

    if isinstance(day, str):
        day = Date.fromisoformat(day)
    return format_date(day, format="long", locale=language)


__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGE_NAMES",
    "N_",
    "check_language",
    "gettext_for",
    "language_name",
    "languages",
    "long_date",
    "number",
    "spoken_languages",
    "translations",
]
