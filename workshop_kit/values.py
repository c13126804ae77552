"""The shared-values card sort: the deck, a partner's sort, the couple's comparison, the room.

Pure logic (pandas only; no session, no drawing). A partner sorts every card of the deck
(``content/values.yaml``) into one of three piles, then ranks up to five cards of the
"very important" pile. The form follows the Personal Values Card Sort (Miller, C'de Baca,
Matthews & Wilbourne 2001); the cards are the kit's own.

A couple's comparison sets side by side what both hold very important, what they placed a
step apart and where they differ most, with one agreement figure and a few discussion
prompts. The room tally gives points to top-5 ranks and counts the piles, folding every
value chosen by fewer than ``k`` people into "Other" (:func:`workshop_kit.tally.fold_small`).

References
----------
Miller, W. R., C'de Baca, J., Matthews, D. B., & Wilbourne, P. L. (2001). *Personal
Values Card Sort*. University of New Mexico. (Public domain.)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import tally
from .content import CONTENT_DIR, read_content, require
from .errors import ContentError, InputError, one_of

PILES = ("very", "important", "not")
PILE_LABELS = {"very": "Very important", "important": "Important", "not": "Not important"}
PILE_LETTERS = {"V": "very", "I": "important", "N": "not"}
UNSORTED_LETTERS = ("-", ".")
TOP_N = 5
PROMPT_KINDS = ("shared", "placed_differently", "divergent", "general")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# How far apart two piles are: one step (very/important, important/not) or two (very/not).
_PILE_STEP = {"very": 0, "important": 1, "not": 2}


# -- the deck -----------------------------------------------------------------------
@dataclass(frozen=True)
class ValueCard:
    """One value card: a stable id, a short name and a one-line description."""

    id: str
    name: str
    description: str


@dataclass(frozen=True)
class Deck:
    """The value cards in deck order, and the discussion prompts by kind."""

    cards: tuple[ValueCard, ...]
    prompts: Mapping[str, tuple[str, ...]]
    path: Path | None = None

    @property
    def ids(self) -> list[str]:
        return [card.id for card in self.cards]

    def card(self, value_id: str) -> ValueCard:
        """The card with this id, or an InputError listing how to find the allowed ids."""
        for card in self.cards:
            if card.id == value_id:
                return card
        raise InputError(
            f"value {value_id!r} is not in the deck; allowed: the {len(self.cards)} card ids "
            f"of {self.path.name if self.path else 'the deck'} (e.g. {self.cards[0].id!r})"
        )

    def name(self, value_id: str) -> str:
        return self.card(value_id).name

    def number(self, value_id: str) -> int:
        """The card's number on the paper form (1 for the first card of the deck)."""
        return self.ids.index(self.card(value_id).id) + 1

    def order(self, value_ids: Iterable[str]) -> list[str]:
        """``value_ids`` in deck order."""
        wanted = set(value_ids)
        return [i for i in self.ids if i in wanted]


def load_deck(path: Path | str | None = None, language: str = "en") -> Deck:
    """Load and validate the values deck and its prompts.

    >>> deck = load_deck()
    >>> 40 <= len(deck.cards) <= 60
    True
    >>> deck.cards[0].name, deck.number("trust") > 1
    ('Affection', True)
    """
    path = Path(path) if path else CONTENT_DIR / "values.yaml"
    stamp = path.stat().st_mtime_ns if path.exists() else 0
    return _load_deck_cached(path.resolve(), stamp, language)


@lru_cache(maxsize=8)
def _load_deck_cached(path: Path, _mtime: int, language: str = "en") -> Deck:
    data = read_content(path, language)
    where_file = path.name
    cards: list[ValueCard] = []
    seen_ids: set[str] = set()
    seen_names: set[str] = set()
    for i, entry in enumerate(require(data, "values", list, where_file), start=1):
        if not isinstance(entry, dict):
            raise ContentError(f"{where_file}, value {i}: must be a mapping; not {entry!r}")
        value_id = require(entry, "id", str, f"{where_file}, value {i}")
        where = f"{where_file}, value {value_id!r}"
        if not ID_PATTERN.match(value_id):
            raise ContentError(
                f"{where}: field 'id' must be lower-case letters, digits and "
                f"underscores, starting with a letter"
            )
        if value_id in seen_ids:
            raise ContentError(f"{where}: ids must be unique in the deck")
        name = require(entry, "name", str, where).strip()
        description = " ".join(require(entry, "description", str, where).split())
        if not name or not description:
            raise ContentError(f"{where}: 'name' and 'description' must not be empty")
        if name.casefold() in seen_names or name.casefold() == tally.OTHER.casefold():
            raise ContentError(
                f"{where}: names must be unique and not {tally.OTHER!r}; not {name!r}"
            )
        seen_ids.add(value_id)
        seen_names.add(name.casefold())
        cards.append(ValueCard(value_id, name, description))
    if not 2 * TOP_N <= len(cards) <= 99:
        raise ContentError(
            f"{where_file}: the deck must hold {2 * TOP_N} to 99 values; not {len(cards)}"
        )
    raw_prompts = require(data, "prompts", dict, where_file)
    prompts: dict[str, tuple[str, ...]] = {}
    for kind in PROMPT_KINDS:
        where = f"{where_file}, prompts"
        texts = require(raw_prompts, kind, list, where)
        clean = []
        for j, text in enumerate(texts, start=1):
            if not isinstance(text, str) or not text.strip():
                raise ContentError(f"{where}, {kind} {j}: must be a sentence; not {text!r}")
            text = " ".join(text.split())
            needs_value = kind != "general"
            if needs_value and "{value}" not in text:
                raise ContentError(f"{where}, {kind} {j}: must name the value as {{value}}")
            allowed = (
                {"value", "value2"} if kind == "shared" else ({"value"} if needs_value else set())
            )
            used = set(re.findall(r"{(\w*)}", text))
            if used - allowed:
                raise ContentError(
                    f"{where}, {kind} {j}: placeholders must be among "
                    f"{sorted(allowed)}; not {sorted(used - allowed)}"
                )
            clean.append(text)
        if not clean:
            raise ContentError(f"{where}: field {kind!r} must list at least one prompt")
        prompts[kind] = tuple(clean)
    unknown = set(raw_prompts) - set(PROMPT_KINDS)
    if unknown:
        raise ContentError(
            f"{where_file}, prompts: kinds must be among {list(PROMPT_KINDS)}; "
            f"not {sorted(unknown)}"
        )
    return Deck(tuple(cards), prompts, path)


def values_form_rows(deck: Deck | None = None) -> list[dict[str, object]]:
    """The deck in order for the paper form: ``number, id, name, description``.

    >>> values_form_rows()[0]["number"], values_form_rows()[0]["name"]
    (1, 'Affection')
    """
    deck = deck or load_deck()
    return [
        {"number": n, "id": c.id, "name": c.name, "description": c.description}
        for n, c in enumerate(deck.cards, start=1)
    ]


# -- one partner's sort ---------------------------------------------------------------
@dataclass(frozen=True)
class Sort:
    """One partner's sort: the pile of each sorted card and the ranked top 5 (best first).

    Build it with :func:`make_sort`, which checks it against the deck. Cards missing
    from ``piles`` are not sorted (yet).
    """

    piles: Mapping[str, str] = field(default_factory=dict)
    top5: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when not a single card was sorted: the partner skipped the sort."""
        return not self.piles

    def pile(self, pile: str, deck: Deck) -> list[str]:
        """The ids in one pile, in deck order."""
        if pile not in PILES:
            raise one_of("pile", pile, PILES)
        return [i for i in deck.ids if self.piles.get(i) == pile]

    def unsorted(self, deck: Deck) -> list[str]:
        return [i for i in deck.ids if i not in self.piles]

    def rank(self, value_id: str) -> int | None:
        """1 for the first place of the top 5, None when not ranked."""
        return self.top5.index(value_id) + 1 if value_id in self.top5 else None

    def is_complete(self, deck: Deck) -> bool:
        """Every card sorted and the top 5 full (or every very-important card ranked)."""
        very = self.pile("very", deck)
        return not self.unsorted(deck) and len(self.top5) == min(TOP_N, len(very))


def make_sort(deck: Deck, piles: Mapping[str, str | None], top5: Iterable[str] = ()) -> Sort:
    """Check a sort against the deck and return it; ``None`` piles mean "not sorted".

    Parameters
    ----------
    deck : Deck
        The values deck (:func:`load_deck`).
    piles : mapping of str to str or None
        Card id to pile (one of :data:`PILES`), or None for a card left unsorted.
    top5 : iterable of str, default ()
        Up to five card ids from the very-important pile, best first.

    Returns
    -------
    Sort
        The checked sort, piles in deck order.

    Raises
    ------
    InputError
        Naming the card and what is allowed: an unknown card, a pile outside
        ``PILES``, more than five ranked cards, a card ranked twice, or a ranked card
        that is not in the very-important pile.

    Examples
    --------
    >>> deck = load_deck()
    >>> make_sort(deck, {"trust": "very", "fun": "not"}, ["trust"]).rank("trust")
    1
    >>> make_sort(deck, {"trust": "important"}, ["trust"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workshop_kit.errors.InputError: top 5: 'Trust' is in the 'important' pile; only cards ...
    """
    clean: dict[str, str] = {}
    for value_id, pile in piles.items():
        deck.card(value_id)
        if pile is None:
            continue
        if pile not in PILES:
            raise one_of(f"pile of {deck.name(value_id)!r}", pile, PILES)
        clean[value_id] = pile
    ranking = tuple(top5)
    if len(ranking) > TOP_N:
        raise InputError(f"top 5: at most {TOP_N} cards can be ranked; got {len(ranking)}")
    for place, value_id in enumerate(ranking, start=1):
        deck.card(value_id)
        if ranking.index(value_id) != place - 1:
            raise InputError(
                f"top 5: {deck.name(value_id)!r} is ranked twice (places "
                f"{ranking.index(value_id) + 1} and {place})"
            )
        if clean.get(value_id) != "very":
            where = f"the {clean[value_id]!r} pile" if value_id in clean else "no pile"
            raise InputError(
                f"top 5: {deck.name(value_id)!r} is in {where}; only cards in "
                f"the very-important pile can be ranked"
            )
    ordered = {i: clean[i] for i in deck.ids if i in clean}
    return Sort(ordered, ranking)


def rank_points(rank: int) -> int:
    r"""Room points for a top-5 place: 5 for the first place down to 1 for the fifth.

    Parameters
    ----------
    rank : int
        The place, 1 (best) to :data:`TOP_N`.

    Returns
    -------
    int
        ``TOP_N + 1 - rank`` points.

    Raises
    ------
    InputError
        ``rank`` is outside 1 to :data:`TOP_N`.

    Notes
    -----
    A Borda count over the top five: :math:`\text{points}(r) = 6 - r`.

    References
    ----------
    de Borda, J.-C. (1781). Mémoire sur les élections au scrutin. *Histoire de
    l'Académie Royale des Sciences*, Paris.

    Examples
    --------
    >>> [rank_points(r) for r in range(1, 6)]
    [5, 4, 3, 2, 1]
    """
    if not 1 <= rank <= TOP_N:
        raise InputError(f"rank must be a whole number from 1 to {TOP_N}; not {rank!r}")
    return TOP_N + 1 - rank


# -- the paper path -------------------------------------------------------------------
def parse_paper_sort(text: str, deck: Deck | None = None) -> Sort:
    """Read a quick paper entry: a letter per card in deck order, then the top-5 numbers.

    Parameters
    ----------
    text : str
        What the facilitator typed from the paper form (see below).
    deck : Deck, optional
        The values deck; :func:`load_deck` when None.

    Returns
    -------
    Sort
        The checked sort (nothing is saved).

    Raises
    ------
    InputError
        A letter that is not V/I/N/-, not one letter per card, a top-5 number that is
        not a card number or names a card not marked V, or a top 5 :func:`make_sort`
        refuses; the message names the place and what is allowed.

    Letters are ``V`` (very important), ``I`` (important), ``N`` (not important) or
    ``-`` (left unsorted), upper or lower case; spaces between letters are ignored, so
    they can be typed in groups of five as printed on the form. After the letters come
    up to five card numbers (as numbered on the form), best first, separated by spaces or
    commas. Nothing is saved here: this only checks and builds the sort.

    Examples
    --------
    >>> deck = load_deck()
    >>> letters = "V" * 3 + "I" * (len(deck.cards) - 5) + "NN"
    >>> sort = parse_paper_sort(letters + " 2, 1", deck)
    >>> sort.top5, sort.piles["adventure"]
    (('acceptance', 'affection'), 'very')
    >>> parse_paper_sort("VVX", deck)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workshop_kit.errors.InputError: letter 3 (card 3, 'Adventure'): 'X' is not allowed; use V ...
    """
    deck = deck or load_deck()
    text = str(text).strip()
    split = re.search(r"\d", text)
    letters_part, numbers_part = (
        (text[: split.start()], text[split.start() :]) if split else (text, "")
    )
    letters = [ch for ch in letters_part if not ch.isspace() and ch != ","]
    for position, letter in enumerate(letters, start=1):
        upper = letter.upper()
        if upper not in PILE_LETTERS and upper not in UNSORTED_LETTERS:
            where = f"letter {position}"
            if position <= len(deck.cards):
                where += f" (card {position}, {deck.cards[position - 1].name!r})"
            raise InputError(
                f"{where}: {letter!r} is not allowed; use V (very important), "
                f"I (important), N (not important) or - (not sorted)"
            )
    if len(letters) != len(deck.cards):
        raise InputError(
            f"expected {len(deck.cards)} letters, one per card in the order of "
            f"the form; got {len(letters)}"
        )
    piles = {
        card.id: PILE_LETTERS.get(letter.upper())
        for card, letter in zip(deck.cards, letters, strict=True)
    }
    top5: list[str] = []
    tokens = [t for t in re.split(r"[\s,;]+", numbers_part) if t]
    for place, token in enumerate(tokens, start=1):
        if not token.isdigit() or not 1 <= int(token) <= len(deck.cards):
            raise InputError(
                f"top-5 place {place}: {token!r} is not a card number; cards are "
                f"numbered 1 to {len(deck.cards)}"
            )
        card = deck.cards[int(token) - 1]
        if piles[card.id] != "very":
            raise InputError(
                f"top-5 place {place}: card {token} ({card.name!r}) is marked "
                f"{letters[int(token) - 1]!r}; top-5 cards must be marked V"
            )
        top5.append(card.id)
    return make_sort(deck, piles, top5)


# -- a couple's comparison ------------------------------------------------------------
RELATIONS = ("shared_core", "same_pile", "placed_differently", "divergent", "not_compared")


@dataclass(frozen=True)
class CoupleComparison:
    """What two partners' sorts share and where they differ.

    ``table`` has one row per card in deck order: ``value_id, value, pile_a, pile_b,
    rank_a, rank_b, relation`` where ``relation`` is one of :data:`RELATIONS`.
    """

    table: pd.DataFrame
    sorted_a: bool
    sorted_b: bool
    agreement: float
    n_compared: int
    n_same: int

    @property
    def both_sorted(self) -> bool:
        return self.sorted_a and self.sorted_b

    @property
    def skipped(self) -> list[str]:
        """The partners who did not sort a single card."""
        return [p for p, done in (("A", self.sorted_a), ("B", self.sorted_b)) if not done]

    @property
    def shared(self) -> pd.DataFrame:
        """Very important to both; those in both top 5s first (``both_top5``)."""
        rows = self.table[self.table["relation"] == "shared_core"].copy()
        rows["both_top5"] = rows["rank_a"].notna() & rows["rank_b"].notna()
        rows["_key"] = rows["rank_a"].fillna(TOP_N + 1) + rows["rank_b"].fillna(TOP_N + 1)
        rows = rows.sort_values(["_key", "_order"], kind="stable")
        return rows.drop(columns=["_key"]).reset_index(drop=True)

    @property
    def placed_differently(self) -> pd.DataFrame:
        """One pile apart; very/important before important/not, then deck order."""
        rows = self.table[self.table["relation"] == "placed_differently"].copy()
        rows["_very"] = ~((rows["pile_a"] == "very") | (rows["pile_b"] == "very"))
        rows = rows.sort_values(["_very", "_order"], kind="stable")
        return rows.drop(columns=["_very"]).reset_index(drop=True)

    @property
    def divergent(self) -> pd.DataFrame:
        """Very important to one, not important to the other; ranked ones first."""
        rows = self.table[self.table["relation"] == "divergent"].copy()
        rows["_key"] = rows[["rank_a", "rank_b"]].min(axis=1).fillna(TOP_N + 1)
        rows = rows.sort_values(["_key", "_order"], kind="stable")
        return rows.drop(columns=["_key"]).reset_index(drop=True)


def compare_sorts(deck: Deck, sort_a: Sort | None, sort_b: Sort | None) -> CoupleComparison:
    """Compare two partners' sorts (``None`` or an empty sort = that partner skipped).

    The agreement figure is the share of cards both partners sorted that they placed in
    the same pile.

    Parameters
    ----------
    deck : Deck
        The values deck.
    sort_a, sort_b : Sort or None
        Partner A's and partner B's sorts; None when that partner skipped.

    Returns
    -------
    CoupleComparison
        Shared values, cards placed differently, and the agreement share (NaN when no
        card was sorted by both).

    Notes
    -----
    With :math:`C` the cards sorted by both partners and :math:`p_A(c)`, :math:`p_B(c)`
    their piles,

    .. math:: \\text{agreement} = \\frac{|\\{c \\in C : p_A(c) = p_B(c)\\}|}{|C|}

    It runs from 0 (no card in the same pile) to 1 (the same pile for every card), and
    is NaN when no card was sorted by both. It is a plain share, not corrected for chance
    (no kappa): it is read by the couple, not tested.

    Examples
    --------
    >>> deck = load_deck()
    >>> a = make_sort(deck, {"trust": "very", "fun": "very", "order": "not"}, ["trust"])
    >>> b = make_sort(deck, {"trust": "very", "fun": "important", "order": "very"})
    >>> c = compare_sorts(deck, a, b)
    >>> round(c.agreement, 3), c.n_compared
    (0.333, 3)
    >>> c.shared["value_id"].tolist(), c.divergent["value_id"].tolist()
    (['trust'], ['order'])
    """
    sort_a = sort_a or Sort()
    sort_b = sort_b or Sort()
    rows = []
    for order, card in enumerate(deck.cards):
        pa, pb = sort_a.piles.get(card.id), sort_b.piles.get(card.id)
        if pa is None or pb is None:
            relation = "not_compared"
        elif pa == pb:
            relation = "shared_core" if pa == "very" else "same_pile"
        elif abs(_PILE_STEP[pa] - _PILE_STEP[pb]) == 2:
            relation = "divergent"
        else:
            relation = "placed_differently"
        rows.append(
            (
                card.id,
                card.name,
                pa,
                pb,
                sort_a.rank(card.id),
                sort_b.rank(card.id),
                relation,
                order,
            )
        )
    table = pd.DataFrame(
        rows,
        columns=["value_id", "value", "pile_a", "pile_b", "rank_a", "rank_b", "relation", "_order"],
    )
    table["rank_a"] = table["rank_a"].astype("Float64").astype(float)
    table["rank_b"] = table["rank_b"].astype("Float64").astype(float)
    compared = table[table["relation"] != "not_compared"]
    n = len(compared)
    same = int(compared["relation"].isin(["shared_core", "same_pile"]).sum())
    agreement = same / n if n else math.nan
    return CoupleComparison(table, not sort_a.is_empty, not sort_b.is_empty, agreement, n, same)


def choose_prompts(
    comparison: CoupleComparison, deck: Deck, max_prompts: int = 5, min_prompts: int = 3
) -> list[str]:
    """Three to five discussion prompts from what the couple shares and where they differ.

    Deterministic: up to two prompts on shared core values (the top of
    :attr:`CoupleComparison.shared`), up to two on the biggest divergences, one on a
    value placed differently (two when nothing diverges), then general prompts until
    there are at least ``min_prompts``. Each prompt names a different value. When a
    partner skipped the sort, only general prompts are given.

    >>> deck = load_deck()
    >>> len(choose_prompts(compare_sorts(deck, None, None), deck))
    3
    """
    if not 1 <= min_prompts <= max_prompts:
        raise InputError(
            f"min_prompts must be from 1 to max_prompts ({max_prompts}); not {min_prompts!r}"
        )
    chosen: list[str] = []
    if comparison.both_sorted:
        shared = comparison.shared["value"].tolist()
        templates = deck.prompts["shared"]
        used = 0
        for template in templates:
            if used >= min(2, len(shared)):
                break
            if "{value2}" in template:
                if len(shared) < used + 2:
                    continue
                chosen.append(template.format(value=shared[used], value2=shared[used + 1]))
                used += 2
            else:
                chosen.append(template.format(value=shared[used]))
                used += 1
        divergent = comparison.divergent["value"].tolist()[:2]
        for template, value in zip(deck.prompts["divergent"], divergent, strict=False):
            chosen.append(template.format(value=value))
        different = comparison.placed_differently["value"].tolist()[: 1 if divergent else 2]
        for template, value in zip(deck.prompts["placed_differently"], different, strict=False):
            chosen.append(template.format(value=value))
    chosen = chosen[:max_prompts]
    for text in deck.prompts["general"]:
        if len(chosen) >= min_prompts:
            break
        chosen.append(text)
    return chosen


# -- the room -----------------------------------------------------------------------
def _participant(key) -> str:
    return "/".join(str(part) for part in key) if isinstance(key, tuple) else str(key)


def sort_frames(sorts: Mapping[object, Sort]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Long tables of many sorts: piles ``contributor, value_id, pile`` and ranks
    ``contributor, value_id, rank, points``. Keys of ``sorts`` name the participants."""
    piles, ranks = [], []
    for key, sort in sorts.items():
        who = _participant(key)
        piles.extend((who, value_id, pile) for value_id, pile in sort.piles.items())
        ranks.extend(
            (who, value_id, place, rank_points(place))
            for place, value_id in enumerate(sort.top5, start=1)
        )
    return (
        pd.DataFrame(piles, columns=["contributor", "value_id", "pile"]),
        pd.DataFrame(ranks, columns=["contributor", "value_id", "rank", "points"]),
    )


def _other_last(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Largest ``by`` first, ties by name, and "Other" always last (it is not one value)."""
    frame = frame.assign(_other=frame["value"] == tally.OTHER)
    frame = frame.sort_values(["_other", by, "value"], ascending=[True, False, True], kind="stable")
    return frame.drop(columns=["_other"]).reset_index(drop=True)


def room_points(sorts: Mapping[object, Sort], deck: Deck, k: int) -> pd.DataFrame:
    r"""The room's top-5 points per value (5 for a first place down to 1), k-folded.

    Parameters
    ----------
    sorts : mapping of object to Sort
        One sort per person (any key: the person is counted once).
    deck : Deck
        The values deck, for the cards' names.
    k : int
        The session's threshold (at least 1).

    Returns
    -------
    pandas.DataFrame
        ``value, contributors, points`` sorted by points (ties: by name), with "Other"
        last. A value ranked by fewer than ``k`` people is folded into "Other", which is
        itself dropped when fewer than ``k`` people stand behind it.

    Raises
    ------
    InputError
        ``k`` is not a whole number of at least 1.

    Notes
    -----
    :math:`\text{points}(v) = \sum_{\text{people}} (6 - r_v)` over those who ranked
    :math:`v` at place :math:`r_v` (see :func:`rank_points`), then
    :func:`workshop_kit.tally.fold_small`.

    Examples
    --------
    >>> deck = load_deck()
    >>> sorts = {i: make_sort(deck, {"trust": "very", "fun": "very"}, ["trust", "fun"])
    ...          for i in range(3)}
    >>> sorts[3] = make_sort(deck, {"order": "very"}, ["order"])
    >>> for row in room_points(sorts, deck, k=3).to_dict("records"):
    ...     print(row)
    {'value': 'Trust', 'contributors': 3, 'points': 15}
    {'value': 'Fun and laughter', 'contributors': 3, 'points': 12}
    """
    _piles, ranks = sort_frames(sorts)
    columns = ["value", "contributors", "points"]
    if ranks.empty:
        tally.check_k(k)
        return pd.DataFrame(columns=columns)
    ranks["value"] = ranks["value_id"].map(deck.name)
    folded = tally.fold_small(ranks, "value", k, weight="points")
    folded = folded.rename(columns={"total": "points"})
    folded["points"] = folded["points"].astype(int)
    folded["contributors"] = folded["contributors"].astype(int)
    return _other_last(folded, "points")[columns]


def room_piles(sorts: Mapping[object, Sort], deck: Deck, k: int) -> pd.DataFrame:
    """How many people put each value in each pile, k-folded per pile.

    Parameters
    ----------
    sorts : mapping of object to Sort
        One sort per person.
    deck : Deck
        The values deck, for the cards' names.
    k : int
        The session's threshold (at least 1).

    Returns
    -------
    pandas.DataFrame
        ``pile, value, people`` (piles in :data:`PILES` order, most people first, ties by
        name, "Other" last). In each pile, values placed there by fewer than ``k`` people
        fold into "Other", where ``people`` counts the distinct people behind them.

    Raises
    ------
    InputError
        ``k`` is not a whole number of at least 1.

    Examples
    --------
    >>> deck = load_deck()
    >>> sorts = {i: make_sort(deck, {"trust": "very", "order": "not"}) for i in range(3)}
    >>> for row in room_piles(sorts, deck, k=3).to_dict("records"):
    ...     print(row)
    {'pile': 'very', 'value': 'Trust', 'people': 3}
    {'pile': 'not', 'value': 'Order', 'people': 3}
    """
    piles, _ranks = sort_frames(sorts)
    columns = ["pile", "value", "people"]
    if piles.empty:
        tally.check_k(k)
        return pd.DataFrame(columns=columns)
    piles["value"] = piles["value_id"].map(deck.name)
    parts = []
    for pile in PILES:
        folded = tally.fold_small(piles[piles["pile"] == pile], "value", k)
        if folded.empty:
            continue
        folded["pile"] = pile
        folded["people"] = folded["contributors"].astype(int)
        parts.append(_other_last(folded, "people")[columns])
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)


__all__ = [
    "PILES",
    "PILE_LABELS",
    "TOP_N",
    "CoupleComparison",
    "Deck",
    "Sort",
    "ValueCard",
    "choose_prompts",
    "compare_sorts",
    "load_deck",
    "make_sort",
    "parse_paper_sort",
    "rank_points",
    "room_piles",
    "room_points",
    "sort_frames",
    "values_form_rows",
]
