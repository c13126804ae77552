"""``workshop-kit reset-secret STORE CODE PARTNER``: forget a partner's secret (facilitator)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "reset-secret",
        help="forget one partner's secret so they can choose a new one",
        description=(
            "A partner who forgot their secret cannot resume their check-in or open their "
            "notes and plans. This forgets it (its stored hash is deleted); the partner "
            "chooses a new secret the next time they start. Their answers, notes and plans "
            "are kept."
        ),
    )
    p.add_argument("store", type=Path, help="the session file")
    p.add_argument("couple_code", help="the couple's code, e.g. K7P3")
    p.add_argument("partner", help="A or B")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..session import Session

    with Session.open(args.store) as session:
        code, partner = session.check_participant(args.couple_code, args.partner)
        was_set = session.partner_secret_is_set(code, partner)
        session.reset_partner_secret(code, partner)
    if was_set:
        print(
            f"The secret of partner {partner} of couple {code} is reset: they choose a new "
            "one the next time they start."
        )
    else:
        print(f"Partner {partner} of couple {code} had no secret; nothing else changed.")
    return 0
