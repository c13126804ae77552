"""The values deck, sorts, couple comparison, room tally, paper entry and storage."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import textwrap

import pytest

from workshop_kit.errors import ContentError, InputError
from workshop_kit.summary import build_summary
from workshop_kit.values import (
    PILES,
    Sort,
    choose_prompts,
    compare_sorts,
    load_deck,
    make_sort,
    parse_paper_sort,
    room_piles,
    room_points,
    values_form_rows,
)
from workshop_kit.values_session import (
    PILE_KIND,
    couple_comparison,
    place_card,
    read_all_sorts,
    read_sort,
    save_paper_sort,
    set_top5,
)


@pytest.fixture(scope="module")
def deck():
    return load_deck()


def full_sort(deck, piles_by_index, top5=()):
    """A sort of every card: ``piles_by_index(i)`` gives the pile of card i."""
    return make_sort(deck, {c.id: piles_by_index(i) for i, c in enumerate(deck.cards)}, top5)


# -- the deck ------------------------------------------------------------------------
def test_deck_has_40_to_60_unique_values_with_descriptions(deck):
    assert 40 <= len(deck.cards) <= 60
    assert len(set(deck.ids)) == len(deck.ids)
    assert len({c.name.lower() for c in deck.cards}) == len(deck.cards)
    assert all(len(c.description) > 15 for c in deck.cards)
    assert {"shared", "placed_differently", "divergent", "general"} <= set(deck.prompts)


def test_form_rows_are_numbered_in_deck_order(deck):
    rows = values_form_rows(deck)
    assert [r["number"] for r in rows] == list(range(1, len(deck.cards) + 1))
    assert [r["id"] for r in rows] == deck.ids


def write_deck(tmp_path, values, prompts=None):
    prompts = prompts or {
        "shared": ["{value}?"],
        "placed_differently": ["{value}?"],
        "divergent": ["{value}?"],
        "general": ["Talk."],
    }
    path = tmp_path / "values.yaml"
    path.write_text(json.dumps({"schema_version": 1, "values": values, "prompts": prompts}))
    return path


def cards(n):
    return [{"id": f"v{i}", "name": f"Value {i}", "description": "A value."} for i in range(n)]


def test_deck_errors_name_the_file_the_value_and_the_field(tmp_path):
    bad = cards(12)
    del bad[3]["name"]
    with pytest.raises(ContentError, match=r"values.yaml, value 'v3': field 'name' is missing"):
        load_deck(write_deck(tmp_path, bad))
    dup = cards(12)
    dup[5]["id"] = "v1"
    with pytest.raises(ContentError, match=r"value 'v1': ids must be unique"):
        load_deck(write_deck(tmp_path, dup))
    with pytest.raises(ContentError, match=r"must hold 10 to 99 values; not 4"):
        load_deck(write_deck(tmp_path, cards(4)))
    with pytest.raises(ContentError, match=r"divergent 1: must name the value as \{value\}"):
        load_deck(
            write_deck(
                tmp_path,
                cards(12),
                {
                    "shared": ["{value}"],
                    "placed_differently": ["{value}"],
                    "divergent": ["No placeholder"],
                    "general": ["x"],
                },
            )
        )
    with pytest.raises(ContentError, match=r"placeholders must be among \['value'\]"):
        load_deck(
            write_deck(
                tmp_path,
                cards(12),
                {
                    "shared": ["{value}"],
                    "placed_differently": ["{value} {partner}"],
                    "divergent": ["{value}"],
                    "general": ["x"],
                },
            )
        )


# -- a sort ----------------------------------------------------------------------------
def test_make_sort_rejects_bad_input_naming_it(deck):
    with pytest.raises(InputError, match=r"value 'patience_x' is not in the deck"):
        make_sort(deck, {"patience_x": "very"})
    with pytest.raises(
        InputError,
        match=r"pile of 'Trust' must be one of \['very', "
        r"'important', 'not'\]; not 'maybe'",
    ):
        make_sort(deck, {"trust": "maybe"})
    with pytest.raises(InputError, match=r"at most 5 cards can be ranked; got 6"):
        make_sort(deck, {i: "very" for i in deck.ids[:6]}, deck.ids[:6])
    with pytest.raises(InputError, match=r"'Trust' is ranked twice \(places 1 and 2\)"):
        make_sort(deck, {"trust": "very"}, ["trust", "trust"])
    with pytest.raises(InputError, match=r"'Trust' is in no pile"):
        make_sort(deck, {}, ["trust"])


def test_sort_piles_and_completeness(deck):
    sort = full_sort(deck, lambda i: PILES[i % 3], [deck.ids[0], deck.ids[3]])
    assert sort.pile("very", deck)[:2] == [deck.ids[0], deck.ids[3]]
    assert not sort.unsorted(deck)
    assert not sort.is_complete(deck)  # only two of five ranked
    five = sort.pile("very", deck)[:5]
    assert make_sort(deck, sort.piles, five).is_complete(deck)
    assert Sort().is_empty and not sort.is_empty


# -- comparing a couple ------------------------------------------------------------------
def test_identical_sorts_agree_fully(deck):
    sort = full_sort(deck, lambda i: PILES[i % 3], [deck.ids[0], deck.ids[3], deck.ids[6]])
    c = compare_sorts(deck, sort, sort)
    assert c.agreement == 1.0 and c.n_compared == c.n_same == len(deck.cards)
    assert c.shared["value_id"].tolist()[:3] == [deck.ids[0], deck.ids[3], deck.ids[6]]
    assert c.shared["both_top5"].tolist()[:4] == [True, True, True, False]
    assert set(c.shared["value_id"]) == set(sort.pile("very", deck))
    assert c.placed_differently.empty and c.divergent.empty


def test_disjoint_sorts_diverge_everywhere(deck):
    a = full_sort(deck, lambda i: "very", deck.ids[:5])
    b = full_sort(deck, lambda i: "not")
    c = compare_sorts(deck, a, b)
    assert c.agreement == 0.0 and c.n_same == 0
    assert c.shared.empty and c.placed_differently.empty
    assert len(c.divergent) == len(deck.cards)
    # ranked cards come first, in A's order; the rest in deck order
    assert c.divergent["value_id"].tolist()[:6] == deck.ids[:6]


def test_one_step_apart_is_placed_differently_and_very_first(deck):
    a = make_sort(deck, {"trust": "important", "order": "not", "fun": "very"})
    b = make_sort(deck, {"trust": "not", "order": "important", "fun": "important"})
    c = compare_sorts(deck, a, b)
    assert c.placed_differently["value_id"].tolist() == ["fun", "order", "trust"]
    assert c.agreement == 0.0 and c.n_compared == 3


def test_partner_who_skipped_is_not_compared(deck):
    a = full_sort(deck, lambda i: PILES[i % 3], deck.ids[:1])
    for b in (None, Sort()):
        c = compare_sorts(deck, a, b)
        assert c.skipped == ["B"] and not c.both_sorted
        assert math.isnan(c.agreement) and c.n_compared == 0
        assert set(c.table["relation"]) == {"not_compared"}
        prompts = choose_prompts(c, deck)
        assert prompts == list(deck.prompts["general"][:3])
    assert compare_sorts(deck, None, None).skipped == ["A", "B"]


def test_shared_ties_keep_deck_order_and_top5_first(deck):
    ids = deck.ids
    a = make_sort(
        deck, {ids[0]: "very", ids[1]: "very", ids[2]: "very", ids[3]: "very"}, [ids[3], ids[2]]
    )
    b = make_sort(
        deck, {ids[0]: "very", ids[1]: "very", ids[2]: "very", ids[3]: "very"}, [ids[2], ids[3]]
    )
    c = compare_sorts(deck, a, b)
    # ids[2] and ids[3] tie on rank sum (3 each): deck order breaks the tie
    assert c.shared["value_id"].tolist() == [ids[2], ids[3], ids[0], ids[1]]


def test_agreement_counts_only_cards_both_sorted(deck):
    a = make_sort(deck, {"trust": "very", "fun": "not", "order": "important"})
    b = make_sort(deck, {"trust": "very", "fun": "not", "calm": "very"})
    c = compare_sorts(deck, a, b)
    assert (c.n_same, c.n_compared, c.agreement) == (2, 2, 1.0)


def test_prompts_are_deterministic_and_name_what_they_share_and_differ_on(deck):
    a = make_sort(
        deck,
        {
            "trust": "very",
            "honesty": "very",
            "faith": "very",
            "order": "very",
            "fun": "very",
            "calm": "important",
        },
        ["trust", "honesty"],
    )
    b = make_sort(
        deck,
        {
            "trust": "very",
            "honesty": "very",
            "faith": "not",
            "order": "not",
            "fun": "important",
            "calm": "not",
        },
        ["honesty", "trust"],
    )
    c = compare_sorts(deck, a, b)
    prompts = choose_prompts(c, deck)
    assert prompts == choose_prompts(c, deck)
    assert 3 <= len(prompts) <= 5
    joined = " ".join(prompts)
    assert '"Trust"' in joined and '"Honesty"' in joined  # shared
    assert '"Faith"' in joined and '"Order"' in joined  # divergent
    assert '"Fun and laughter"' in joined  # placed differently
    assert "{" not in joined


# -- the room ------------------------------------------------------------------------
def test_room_points_fold_small_groups_and_break_ties_by_name(deck):
    sorts = {}
    for i in range(3):
        sorts[f"p{i}"] = make_sort(deck, {"trust": "very", "fun": "very"}, ["trust", "fun"])
    for i in range(3, 6):
        sorts[f"p{i}"] = make_sort(deck, {"honesty": "very", "calm": "very"}, ["calm", "honesty"])
    # three people each rank a different value first: folded into "Other" together
    for i, value_id in zip(range(6, 9), ["order", "faith", "nature"], strict=True):
        sorts[f"p{i}"] = make_sort(deck, {value_id: "very"}, [value_id])
    points = room_points(sorts, deck, k=3)
    assert points.to_dict("records") == [
        {"value": "A calm home", "contributors": 3, "points": 15},
        {"value": "Trust", "contributors": 3, "points": 15},
        {"value": "Fun and laughter", "contributors": 3, "points": 12},
        {"value": "Honesty", "contributors": 3, "points": 12},
        {"value": "Other", "contributors": 3, "points": 15},
    ]
    assert "Order" not in set(points["value"])


def test_room_points_drop_other_under_k_and_handle_no_rankings(deck):
    sorts = {f"p{i}": make_sort(deck, {"trust": "very"}, ["trust"]) for i in range(3)}
    sorts["x"] = make_sort(deck, {"order": "very"}, ["order"])
    assert room_points(sorts, deck, k=3)["value"].tolist() == ["Trust"]
    # with k = 4 no value has enough people, but together they do
    assert room_points(sorts, deck, k=4).to_dict("records") == [
        {"value": "Other", "contributors": 4, "points": 20}
    ]
    assert room_points(sorts, deck, k=5).empty
    assert room_points({}, deck, k=3).empty
    with pytest.raises(InputError, match="k must be a whole number"):
        room_points({}, deck, k=0)


def test_room_piles_count_people_per_pile_k_folded(deck):
    sorts = {
        f"p{i}": make_sort(deck, {"trust": "very", "order": "not", "fun": "important"})
        for i in range(4)
    }
    sorts["p9"] = make_sort(deck, {"trust": "not"})
    piles = room_piles(sorts, deck, k=3)
    assert piles.to_dict("records") == [
        {"pile": "very", "value": "Trust", "people": 4},
        {"pile": "important", "value": "Fun and laughter", "people": 4},
        {"pile": "not", "value": "Order", "people": 4},
    ]


# -- paper -----------------------------------------------------------------------------
def test_paper_entry_reads_letters_then_numbers(deck):
    n = len(deck.cards)
    text = "vvv-i " + "I" * (n - 7) + " nn  3,1 2"
    sort = parse_paper_sort(text, deck)
    assert deck.ids[3] not in sort.piles
    assert sort.top5 == (deck.ids[2], deck.ids[0], deck.ids[1])
    assert sort.piles[deck.ids[-1]] == "not"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("VVQ", r"letter 3 \(card 3, 'Adventure'\): 'Q' is not allowed; use V"),
        ("VVV", r"expected \d+ letters, one per card .*; got 3"),
        ("{letters} 1 99", r"top-5 place 2: '99' is not a card number; cards are numbered 1 to"),
        (
            "{letters} 1 2",
            r"top-5 place 2: card 2 \('Acceptance'\) is marked 'I'; top-5 cards "
            r"must be marked V",
        ),
        ("{letters} 1 1", r"'Affection' is ranked twice"),
        ("{letters} 1 x", r"top-5 place 2: 'x' is not a card number"),
    ],
)
def test_paper_entry_errors_say_where_and_what_is_allowed(deck, text, message):
    letters = "V" + "I" * (len(deck.cards) - 1)
    with pytest.raises(InputError, match=message):
        parse_paper_sort(text.format(letters=letters), deck)


# -- storage ---------------------------------------------------------------------------
def test_each_move_is_saved_and_reopening_restores(session, deck, tmp_path):
    code = session.couple_codes()[0]
    place_card(session, code, "A", "trust", "very", deck)
    place_card(session, code, "A", "fun", "very", deck)
    place_card(session, code, "A", "order", "not", deck)
    set_top5(session, code, "A", ["fun", "trust"], deck)
    reopened = type(session).open(session.path)
    sort = read_sort(reopened, code, "A", deck)
    assert sort.piles == {"fun": "very", "order": "not", "trust": "very"}
    assert sort.top5 == ("fun", "trust")
    assert read_sort(reopened, code, "B", deck).is_empty
    reopened.close()


def test_moving_a_ranked_card_out_of_very_updates_the_top5_at_once(session, deck):
    code = session.couple_codes()[0]
    for value_id in ("trust", "fun", "calm"):
        place_card(session, code, "B", value_id, "very", deck)
    set_top5(session, code, "B", ["calm", "trust", "fun"], deck)
    sort = place_card(session, code, "B", "trust", None, deck)
    assert sort.top5 == ("calm", "fun") and "trust" not in sort.piles
    sort = place_card(session, code, "B", "calm", "important", deck)
    assert sort.top5 == ("fun",)
    stored = session.entries("values_top5", code, "B")[0].value
    assert stored == ["fun"]


def test_bad_moves_change_nothing(session, deck):
    code = session.couple_codes()[0]
    with pytest.raises(InputError, match=r"pile must be one of"):
        place_card(session, code, "A", "trust", "sometimes", deck)
    with pytest.raises(InputError, match=r"partner must be one of"):
        place_card(session, code, "C", "trust", "very", deck)
    with pytest.raises(InputError, match=r"'Trust' is in no pile"):
        set_top5(session, code, "A", ["trust"], deck)
    assert session.entries(PILE_KIND) == []
    assert session.entries("values_top5") == []


def test_paper_sort_is_saved_whole_or_not_at_all(session, deck):
    code = session.couple_codes()[1]
    place_card(session, code, "A", deck.ids[-1], "very", deck)
    letters = "V" * 5 + "N" * (len(deck.cards) - 6) + "-"
    with pytest.raises(InputError):
        save_paper_sort(session, code, "A", letters + " 1 2 3 4 60", deck)
    assert read_sort(session, code, "A", deck).piles == {deck.ids[-1]: "very"}
    sort = save_paper_sort(session, code, "A", letters + " 5 4 3 2 1", deck)
    stored = read_sort(session, code, "A", deck)
    assert stored == sort
    assert deck.ids[-1] not in stored.piles  # the earlier widget move was replaced
    assert {e.source for e in session.entries(PILE_KIND, code, "A")} == {"paper"}


def test_couple_comparison_reads_both_partners(session, deck):
    code = session.couple_codes()[2]
    place_card(session, code, "A", "trust", "very", deck)
    assert couple_comparison(session, code, deck).skipped == ["B"]
    place_card(session, code, "B", "trust", "very", deck)
    c = couple_comparison(session, code, deck)
    assert c.both_sorted and c.shared["value_id"].tolist() == ["trust"]


# -- demo and summary ------------------------------------------------------------------
def test_demo_has_sorts_for_most_partners_and_shared_values(demo_session, deck):
    sorts = read_all_sorts(demo_session, deck)
    codes = demo_session.couple_codes()
    assert len(sorts) == 2 * len(codes) - 1  # one partner skipped
    assert (codes[2], "B") not in sorts
    assert sorts[(codes[5], "A")].unsorted(deck)  # stopped part way
    shared = [len(couple_comparison(demo_session, c, deck).shared) for c in codes if c != codes[2]]
    assert min(shared) >= 1
    assert all(s.top5 for key, s in sorts.items() if key != (codes[5], "A"))


def test_summary_values_section_is_aggregate_only(demo_session):
    summary = build_summary(demo_session)
    section = summary["values"]
    text = json.dumps(section)
    for code in demo_session.couple_codes():
        assert code not in text
    assert section["sorted"]["started"] == 23
    assert all(row["contributors"] >= demo_session.k for row in section["points"])
    assert all(row["people"] >= demo_session.k for row in section["piles"])
    assert {row["pile"] for row in section["piles"]} == set(PILES)


def test_pure_values_module_imports_no_drawing_or_widgets():
    code = textwrap.dedent("""
        import sys
        import workshop_kit.values, workshop_kit.values_session
        bad = [m for m in ("matplotlib", "ipywidgets") if m in sys.modules]
        print(",".join(bad))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
