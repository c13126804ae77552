"""The fast paper-entry widget, driven headless: set values, call handlers, read the store."""

from __future__ import annotations

import html

import ipywidgets as w
import pytest

from workshop_kit.paper import form_fields, missing_forms
from workshop_kit.widgets.entry import EntryWidget


def full_row(entry: EntryWidget, answer: str = "4") -> str:
    """A complete row: every item answered ``answer``, circles 5, yes and no."""
    chars = []
    for field in entry.fields:
        if field.kind == "flag":
            chars.append("y" if field.key == "consent" else "n")
        elif field.kind == "picture":
            chars.append("5")
        else:
            chars.append(answer)
    return "".join(chars)


def shown(widget) -> str:
    """The text an HTML widget shows."""
    return html.unescape(widget.value)


@pytest.fixture
def entry(session):
    return EntryWidget(session, "before")


def test_row_fills_the_boxes_and_saves_one_paper_form(session, entry):
    code = session.couple_codes()[0]
    entry.code.value = code.lower()
    entry.partner.value = "b"
    assert "wk-good" in entry.code._dom_classes
    row = full_row(entry)
    row = row[:2] + "-" + row[3:]  # answer 3 skipped
    entry.row.value = row
    assert [box.value for box in entry.boxes] == list(row)
    assert entry.save() is True
    answers = session.answers()
    n_items = sum(f.kind != "flag" for f in entry.fields)
    assert len(answers) == n_items
    assert set(answers["source"]) == {"paper"}
    assert set(answers["partner"]) == {"B"} and set(answers["phase"]) == {"before"}
    skipped = answers[answers["value"].isna()]["item_id"].tolist()
    assert skipped == [entry.fields[2].key]
    assert session.consents(code, "B") is True
    assert session.flag(code, "B", "wants_to_talk") is False
    # the form is cleared for the next one, the phase stays
    assert (entry.code.value, entry.partner.value, entry.row.value) == ("", "", "")
    assert entry.phase.value == "before"
    assert "Saved couple" in shown(entry.message)


def test_out_of_range_is_flagged_as_typed_and_nothing_is_saved(session, entry):
    entry.code.value = session.couple_codes()[0]
    entry.partner.value = "A"
    entry.row.value = "44" + "9"
    assert "wk-bad" in entry.boxes[2]._dom_classes
    assert "wk-bad" not in entry.boxes[0]._dom_classes
    assert "answer 3" in shown(entry.problems) and "not allowed" in shown(entry.problems)
    entry.row.value = full_row(entry)[:2] + "9" + full_row(entry)[3:]
    assert entry.save() is False
    assert "Not saved" in shown(entry.message)
    assert session.answers().empty
    # fixing the one box makes the form savable
    entry.boxes[2].value = "3"
    assert "wk-bad" not in entry.boxes[2]._dom_classes
    assert entry.row.value[2] == "3"
    assert entry.save() is True
    assert len(session.answers()) > 0


def test_tabbing_box_by_box_builds_the_row(session, entry):
    entry.code.value = session.couple_codes()[1]
    entry.partner.value = "Partner A"
    for box, char in zip(entry.boxes, full_row(entry, "2")):
        box.value = char
    assert entry.row.value == full_row(entry, "2")
    entry.boxes[1].value = ""
    assert entry.row.value[1] == "_"
    assert entry.save() is False
    assert "answers 2 not typed" in shown(entry.message)
    entry.boxes[1].value = "."
    assert entry.save() is True
    assert session.answers()["value"].isna().sum() == 1


def test_short_row_long_row_and_bad_who_are_refused(session, entry):
    entry.row.value = full_row(entry)
    assert entry.save() is False  # no code, no partner
    assert "type the couple code" in shown(entry.message)
    entry.code.value = "ZZZZ"
    entry.partner.value = "C"
    assert "'ZZZZ' is not a couple code" in shown(entry.who_message)
    assert entry.save() is False
    assert "'C' is not A or B" in shown(entry.message)
    entry.code.value = session.couple_codes()[0]
    entry.partner.value = "A"
    entry.row.value = full_row(entry) + "4"
    assert "check for an extra key" in shown(entry.problems)
    assert entry.save() is False
    entry.row.value = full_row(entry)[:5]
    assert entry.save() is False
    assert "not typed" in shown(entry.message)
    assert session.answers().empty


def test_missing_list_follows_the_store_and_the_phase(session, entry):
    codes = session.couple_codes()
    assert f"Still missing for before: {2 * len(codes)} forms" in shown(entry.missing_title)
    entry.code.value, entry.partner.value = codes[0], "A"
    entry.row.value = full_row(entry)
    entry.save()
    assert f"Still missing for before: {2 * len(codes) - 1} forms" in shown(entry.missing_title)
    # an answer arriving from elsewhere shows after a refresh
    session.record_answer(codes[0], "B", "before", "checkin", "qt1", 3)
    entry.refresh_missing()
    assert f"{2 * len(codes) - 2} forms" in shown(entry.missing_title)
    entry.phase.value = "after"
    assert f"Still missing for after: {2 * len(codes)} forms" in shown(entry.missing_title)
    assert len(missing_forms(session, "before")) == 2 * len(codes) - 2


def test_warns_before_replacing_a_form_already_in(session, entry):
    code = session.couple_codes()[0]
    session.record_answer(code, "A", "before", "checkin", "qt1", 3)
    entry.code.value, entry.partner.value = code, "A"
    assert "already has 1 answer for" in shown(entry.who_message)


def test_structure_uses_the_kit_look(entry, session):
    assert isinstance(entry.view, w.VBox) and "wk-root" in entry.view._dom_classes
    assert len(entry.boxes) == len(form_fields(session.content))
    assert entry.save_button.layout.min_height == "52px"
    # no published measure without its wording is on the form
    assert not any(f.instrument == "csi4" for f in entry.fields)


def test_import_box_lands_a_file_and_lists_problems(session, tmp_path, entry):
    from workshop_kit.widgets.entry import ImportBox

    code = session.couple_codes()[0]
    box = ImportBox(session, on_import=entry.refresh_missing)
    box.run()
    assert "Type or paste" in shown(box.message)
    bad = tmp_path / "bad.csv"
    bad.write_text(f"couple_code,partner,qt1\n{code},A,8\nQQ,B,2\n", encoding="utf-8")
    box.path.value = f'"{bad}"'
    box.phase.value = "before"
    assert box.run() is False
    message = shown(box.message)
    assert "2 problems found" in message and "'8' is out of range" in message
    assert session.answers().empty
    good = tmp_path / "good.csv"
    good.write_text(
        f"couple_code,partner,qt1,Email\n{code},A,3,a@example.invalid\n", encoding="utf-8"
    )
    box.path.value = str(good)
    assert box.check() is True  # the preview: what would be added, and what skipped
    message = shown(box.message)
    assert "1 row, 1 person (1 before), 1 answer" in message
    assert "column D 'Email': a column" in message and "Nothing was added yet" in message
    assert session.answers().empty
    assert box.run() is True
    assert session.answers()["phase"].tolist() == ["before"]
    assert f"{2 * len(session.couple_codes()) - 1} forms" in shown(entry.missing_title)
    assert box.run() is False
    assert "imported before" in shown(box.message)
