"""A paper form typed in with the keyboard: a wrong answer is refused, the fixed form saved."""

from __future__ import annotations

import pytest

from workshop_kit.paper import form_fields, missing_forms
from workshop_kit.session import Session

from .conftest import (
    SCREENSHOTS,
    add_couple,
    assert_fits_the_projector,
    open_notebook,
    screenshot,
    shown_option,
)

pytestmark = pytest.mark.browser
NOTEBOOK = "60_tally_paper_forms.ipynb"
ITEM_CHARS = "4352-"  # cycled over the 1-to-5 questions; "-" is a skipped answer
PICTURE_CHAR = "6"
FLAG_CHARS = {"consent": "y", "wants_to_talk": "n"}


def paper_row(fields) -> str:
    """One character per answer, in the order printed on the form."""
    chars, items = [], 0
    for field in fields:
        if field.kind == "flag":
            chars.append(FLAG_CHARS[field.key])
        elif field.kind == "picture":
            chars.append(PICTURE_CHAR)
        else:
            chars.append(ITEM_CHARS[items % len(ITEM_CHARS)])
            items += 1
    return "".join(chars)


def person_answers(store_path, code: str, partner: str):
    with Session.open(store_path) as session:
        answers = session.answers(phase="before")
        return answers[(answers["couple_code"] == code) & (answers["partner"] == partner)]


def stored_counts(store_path) -> tuple[int, int]:
    """Rows in the store's answers and entries tables (appended to, never rewritten)."""
    with Session.open(store_path) as session:
        conn = session.store.conn
        return tuple(
            conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("answers", "entries")
        )


def focused_placeholder(page) -> str | None:
    return page.evaluate("document.activeElement && document.activeElement.placeholder")


def test_paper_form_typed_with_the_keyboard_is_saved(page, server, store_path):
    from playwright.sync_api import expect

    code = add_couple(store_path)
    with Session.open(store_path) as session:
        fields = form_fields(session.content)
    row = paper_row(fields)
    open_notebook(page, server, NOTEBOOK)
    entry = page.locator(".wk-root").first
    expect(entry).to_contain_text(f"{code}: partner A and B")  # on the missing list

    # keyboard only, as the page says: code, Tab, partner, Tab, the answers as one row
    entry.get_by_placeholder("couple code").click()
    page.keyboard.type(code.lower())
    page.keyboard.press("Tab")
    page.keyboard.type("b")
    page.keyboard.press("Tab")
    assert (focused_placeholder(page) or "").startswith(f"{len(fields)} answers"), (
        "Tab from the partner box should land in the answers row, not "
        f"{focused_placeholder(page)!r}"
    )
    expect(entry).to_contain_text(f"Couple {code}, partner B (before).")

    # a 7 on a 1-to-5 question: flagged at once, and saving changes nothing
    page.keyboard.type("7" + row[1:])
    expect(entry.locator(".wk-error").filter(has_text="Not saved until fixed")).to_have_text(
        "Not saved until fixed: answer 1 (qt1): '7' is not allowed; type 1 to 5, or - to skip"
    )
    expect(entry.locator(".wk-entry-field.wk-bad")).to_have_count(1)
    expect(entry.locator(".wk-entry-field.wk-bad input")).to_have_value("7")
    screenshot(page, "60_tally_paper_forms-bad-answer")
    stored_before = stored_counts(store_path)
    entry.get_by_role("button", name="Save this form", exact=True).click()
    expect(entry).to_contain_text("Not saved: answer 1 (qt1): '7' is not allowed")
    assert stored_counts(store_path) == stored_before  # not one answer or yes/no written
    assert person_answers(store_path, code, "B").empty

    # back in the answers row (the Save click took the focus): fix the first answer, save
    entry.get_by_placeholder(f"{len(fields)} answers").click()
    page.keyboard.press("Home")
    page.keyboard.press("Delete")
    page.keyboard.type(row[0])
    expect(entry).to_contain_text(f"{len(fields)} of {len(fields)} answers typed.")
    expect(entry.locator(".wk-entry-field.wk-bad")).to_have_count(0)
    entry.get_by_role("button", name="Save this form", exact=True).click()
    numeric = [f for f in fields if f.kind != "flag"]
    skipped = sum(row[f.number - 1] == "-" for f in numeric)
    expect(entry).to_contain_text(
        f"Saved couple {code}, partner B (before): {len(numeric)} answers ({skipped} skipped)."
    )
    # ready for the next form: the boxes are empty and the code box has the keyboard
    expect(entry.get_by_placeholder("couple code")).to_be_focused()
    expect(entry.get_by_placeholder("couple code")).to_have_value("")
    expect(entry).to_contain_text(f"{code}: partner A")
    expect(entry).not_to_contain_text(f"{code}: partner A and B")
    screenshot(page, "60_tally_paper_forms-saved")

    mine = person_answers(store_path, code, "B")
    expected = [None if row[f.number - 1] == "-" else float(row[f.number - 1]) for f in numeric]
    assert [(r.instrument, r.item_id) for r in mine.itertuples()] == [
        (f.instrument, f.key) for f in numeric
    ]
    got = [None if v != v else v for v in mine["value"]]  # skipped is NaN, never zero
    assert got == expected
    assert set(mine["source"]) == {"paper"}
    with Session.open(store_path) as session:
        assert session.flag(code, "B", "consent") is True
        assert session.flag(code, "B", "wants_to_talk") is False
        still_missing = missing_forms(session, "before")
    assert "B" not in set(still_missing[still_missing["couple_code"] == code]["partner"])


def test_paper_entry_page_fits_the_projector(page, server):
    open_notebook(page, server, NOTEBOOK)
    # the import box's check-in picker says what it does (a None value once showed empty)
    import_box = page.locator(".wk-root").filter(has_text="Import answers from a file")
    assert shown_option(import_box.locator("select")) == "from the file's phase column"
    assert_fits_the_projector(page, texts=10, buttons=3)
    screenshot(page, "60_tally_paper_forms")


def test_an_online_form_is_checked_then_imported(page, server, store_path, tmp_path):
    from playwright.sync_api import expect

    code = add_couple(store_path)
    form = tmp_path / "Check-in (Responses).csv"
    form.write_text(
        "Timestamp,Email Address,What is your couple code?,Are you partner A or B?,"
        "Before or after the workshop?,We make time to be together without screens or chores.,"
        "Anything else you would like to say?\n"
        f"2026-11-21 09:50:00,pat@example.invalid,{code},Partner A,Before,Often true,Thank you\n",
        encoding="utf-8",
    )
    open_notebook(page, server, NOTEBOOK)
    box = page.locator(".wk-root").filter(has_text="Import answers from a file")
    box.get_by_placeholder("for example").fill(str(form))
    stored_before = stored_counts(store_path)
    box.get_by_role("button", name="Check this file", exact=True).click()
    expect(box).to_contain_text("1 row, 1 person (1 before), 1 answer, 0 yes/no answers")
    expect(box).to_contain_text("column B 'Email Address': a column Google Forms adds")
    expect(box).to_contain_text("free text, not stored")
    assert stored_counts(store_path) == stored_before  # checking writes nothing
    screenshot(page, "60_tally_paper_forms-import-preview")
    box.screenshot(path=str(SCREENSHOTS / "60_tally_paper_forms-import-box.png"))
    box.get_by_role("button", name="Import this file", exact=True).click()
    expect(box).to_contain_text("Imported Check-in (Responses).csv (online form layout)")
    assert len(person_answers(store_path, code, "A")) == 1


def test_a_paper_form_over_laptop_answers_asks_before_replacing(page, server, store_path):
    """Partner A answered on the laptop (consent No); the paper says Yes: shown, then asked."""
    from playwright.sync_api import expect

    code = add_couple(store_path)
    with Session.open(store_path) as session:
        fields = form_fields(session.content)
        session.record_answer(code, "A", "before", "checkin", "qt1", 4)
        session.set_flag(code, "A", "consent", False, phase="before")
    row = paper_row(fields)  # qt1 is a 4 there too; consent is "y"
    row = "2" + row[1:]
    open_notebook(page, server, NOTEBOOK)
    entry = page.locator(".wk-root").first
    entry.get_by_placeholder("couple code").fill(code)
    entry.get_by_placeholder("A or B").fill("A")
    entry.get_by_placeholder(f"{len(fields)} answers").fill(row)
    expect(entry).to_contain_text(f"{len(fields)} of {len(fields)} answers typed.")
    stored_before = stored_counts(store_path)
    entry.get_by_role("button", name="Save this form", exact=True).click()
    expect(entry).to_contain_text("Not saved yet: check the differences below and choose.")
    expect(entry).to_contain_text("answer 1 (qt1): saved 4, this form 2")
    expect(entry).to_contain_text("(consent): saved No, this form Yes")
    assert stored_counts(store_path) == stored_before
    screenshot(page, "60_tally_paper_forms-replace-question")
    entry.get_by_role("button", name="Replace them with this form", exact=True).click()
    expect(entry).to_contain_text(f"Saved couple {code}, partner A (before)")
    with Session.open(store_path) as session:
        assert session.flag(code, "A", "consent") is True
        assert session.answered_items(code, "A", "before")[("checkin", "qt1")] == 2
