"""``workshop-kit summary --json``: every room aggregate of a session, k-suppressed.

Each module adds its section to :data:`SUMMARY_SECTIONS`. A section returns plain
JSON-able data holding aggregates only: never a couple code, a partner, or free text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import exercises, values_session
from . import results as checkin_results_mod
from .appreciation import appreciation_summary
from .importers.history import imports_summary
from .phones.devices import phones_summary
from .published import publish_checkin
from .records import records
from .session import Session

Section = Callable[[Session], Any]

__all__ = ["SUMMARY_SECTIONS", "build_summary", "checkin_section", "records"]


def checkin_section(session: Session) -> dict[str, Any]:
    results = checkin_results_mod.checkin_results(session)
    shown = publish_checkin(session, results)
    return {
        "received": records(checkin_results_mod.checkins_received(session)),
        "theme_means": records(shown.theme_means),
        "change": records(shown.change),
        "reliability": records(shown.reliability),
        "subscale_names": results.subscale_names,
    }


def languages_section(session: Session) -> dict[str, Any]:
    """The room's language and how many partners chose each language (k rule applied).

    Translated check-in wording is not validated in any language but English: the
    section says so for every language the check-in was taken in.
    """
    import pandas as pd

    from .tally import suppress_counts

    chosen = [
        session.partner_language(code, partner)
        for code in session.couple_codes()
        for partner in ("A", "B")
    ]
    counts = pd.Series(chosen, dtype=object).value_counts().rename_axis("language")
    frame = counts.rename("n").reset_index()
    shown = suppress_counts(frame, session.k)
    return {
        "room_language": session.language,
        "partners_by_language": records(shown),
        "not_validated": sorted({lang for lang in chosen if lang != "en"}),
    }


SUMMARY_SECTIONS: dict[str, Section] = {
    "checkin": checkin_section,
    "exercises": exercises.summary_section,
    "values": values_session.values_summary_section,
    "appreciation": appreciation_summary,
    "phones": phones_summary,
    "imports": imports_summary,
    "languages": languages_section,
}


def build_summary(session: Session) -> dict[str, Any]:
    """The session's facts and every room aggregate, as one JSON-able dict."""
    summary: dict[str, Any] = {
        "session": {
            "title": session.title,
            "date": session.date,
            "session_id": session.session_id,
            "k": session.k,
            "couples": len(session.couple_codes()),
        }
    }
    for name, section in SUMMARY_SECTIONS.items():
        summary[name] = section(session)
    return summary
