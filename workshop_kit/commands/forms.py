"""``workshop-kit forms``: printable paper forms (check-in, values sort, appreciation words)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "forms",
        help="print paper forms as one PDF (blank, or one set per couple code)",
        description=(
            "Paper forms made from the kit's content: the check-in (before and after), the "
            "shared-values sort sheet and the appreciation words, with boxes for the couple "
            "code and the partner. With --store, each couple code and partner gets its own "
            "set, code and partner printed."
        ),
    )
    p.add_argument("--out", type=Path, required=True, help="the PDF file to write")
    p.add_argument("--store", type=Path, help="a session file: print one set per couple")
    p.add_argument("--paper", choices=["A4", "Letter"], default="A4", help="paper size")
    p.add_argument("--large-print", action="store_true", help="larger type and boxes")
    p.add_argument(
        "--language",
        help="the check-in's language (en, es); default: English for blank forms, each "
        "partner's own language with --store",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..export.forms import write_forms
    from ..i18n import check_language
    from ..session import Session

    if args.language is not None:
        check_language(args.language)
    if args.store is None:
        pages = write_forms(
            args.out, paper=args.paper, large_print=args.large_print, language=args.language
        )
    else:
        with Session.open(args.store) as session:
            pages = write_forms(args.out, session, args.paper, args.large_print, args.language)
    print(f"Wrote {pages} pages of forms to {args.out}")
    return 0
