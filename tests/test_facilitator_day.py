"""The facilitator's day, as a first run found it (issue 15, item 7): one test per finding."""

from __future__ import annotations

from workshop_kit.paper import form_fields
from workshop_kit.results import follow_up_list
from workshop_kit.widgets.checkin import CheckinWidget
from workshop_kit.widgets.entry import EntryWidget


def _answer_flag(widget: CheckinWidget, flag_id: str, value: bool) -> None:
    """Go to the flag's screen and click Yes or No."""
    index = next(i for i, s in enumerate(widget.steps) if s.kind == "flag" and s.flag.id == flag_id)
    widget.go(index)
    widget.choice.choose(value)


def _requests(session):
    follow = follow_up_list(session)
    talk = follow[follow["reason"] == "would like to talk to someone"]
    return talk[["couple_code", "partner", "phase"]].values.tolist()


# -- "I would like to talk to someone" is kept per phase --------------------------------
def test_a_morning_request_to_talk_survives_an_afternoon_no(session):
    code = session.couple_codes()[0]
    morning = CheckinWidget(session, "before")
    morning.start(code, "A", secret="tulip")
    _answer_flag(morning, "wants_to_talk", True)
    afternoon = CheckinWidget(session, "after")
    afternoon.start(code, "A", secret="tulip")
    _answer_flag(afternoon, "wants_to_talk", False)

    assert session.flag(code, "A", "wants_to_talk") is False  # the latest answer
    assert _requests(session) == [[code, "A", "before"]]  # but the request stays listed


def test_a_request_on_a_paper_form_is_kept_with_its_phase(session):
    code = session.couple_codes()[1]
    entry = EntryWidget(session, phase="after")
    entry.code.value, entry.partner.value = code, "B"
    entry.row.value = "3" * (len(entry.fields) - 2) + "ny"
    assert entry.save()
    session.set_flag(code, "B", "wants_to_talk", False)  # withdrawn later, without a phase
    assert _requests(session) == [[code, "B", "after"]]


def test_a_request_without_a_phase_is_listed_as_any(session):
    code = session.couple_codes()[2]
    session.put_entry("flag", "wants_to_talk", True, code, "A", source="import")
    session.put_entry("flag", "wants_to_talk", False, code, "A", source="import")
    assert _requests(session) == [[code, "A", "any"]]


def test_consent_still_follows_the_latest_answer(session):
    code = session.couple_codes()[0]
    session.set_flag(code, "A", "consent", True, phase="before")
    session.set_flag(code, "A", "consent", False, phase="after")
    assert session.consents(code, "A") is False
    assert len(form_fields(session.content)) > 2


# -- a paper form typed over a partner's laptop answers asks first ---------------------
def _laptop_answers(session, code, partner):
    """The partner answered on the laptop: every item 4, consent No."""
    widget = CheckinWidget(session, "before")
    widget.start(code, partner, secret="tulip")
    for step in list(widget.steps):
        if step.kind == "flag":
            _answer_flag(widget, step.flag.id, False)
        elif step.kind == "item":
            widget.go(widget.steps.index(step))
            widget.choice.choose(4)
    return session.answers().shape[0]


def _type_form(entry, code, partner, row):
    entry.code.value, entry.partner.value = code, partner
    entry.row.value = row


def test_a_paper_form_over_laptop_answers_lists_the_changes_and_waits(session):
    code = session.couple_codes()[0]
    saved_rows = _laptop_answers(session, code, "A")
    entry = EntryWidget(session, phase="before")
    n = len(entry.fields)
    # the same answers but the first item a 2 and consent Yes (the picture scale skipped)
    row = "2" + "4" * (n - 4) + "-" + "yn"
    _type_form(entry, code, "A", row)
    assert entry.save() is False
    assert session.answers().shape[0] == saved_rows  # nothing written yet
    assert session.flag(code, "A", "consent") is False
    assert entry.confirm_box.layout.display == ""
    listed = entry.confirm_text.value
    assert "answer 1 (qt1): saved 4, this form 2" in listed
    assert "(consent): saved No, this form Yes" in listed
    assert "wants_to_talk" not in listed  # the same answer is not a change
    entry.replace_button.click()
    assert session.flag(code, "A", "consent") is True
    assert session.answered_items(code, "A", "before")[("checkin", "qt1")] == 2
    assert entry.confirm_box.layout.display == "none"
    assert "Saved couple" in entry.message.value


def test_keep_what_is_saved_writes_nothing(session):
    code = session.couple_codes()[1]
    saved_rows = _laptop_answers(session, code, "B")
    entry = EntryWidget(session, phase="before")
    _type_form(entry, code, "B", "5" * (len(entry.fields) - 2) + "yy")
    assert entry.save() is False
    entry.keep_button.click()
    assert session.answers().shape[0] == saved_rows
    assert session.flag(code, "B", "consent") is False
    assert entry.code.value == "" and "Nothing was replaced" in entry.message.value


def test_an_edit_after_the_question_asks_again(session):
    code = session.couple_codes()[2]
    _laptop_answers(session, code, "A")
    entry = EntryWidget(session, phase="before")
    n = len(entry.fields)
    _type_form(entry, code, "A", "3" + "4" * (n - 3) + "nn")
    assert entry.save() is False
    entry.row.value = "1" + "4" * (n - 3) + "nn"  # changed while the question was shown
    assert entry.confirm_box.layout.display == "none"
    assert entry.save(confirmed=True) is False  # an old "yes" does not cover a new form
    assert "saved 4, this form 1" in entry.confirm_text.value


def test_a_form_that_changes_nothing_saves_at_once(session):
    code = session.couple_codes()[3]
    entry = EntryWidget(session, phase="before")
    row = "4" * (len(entry.fields) - 2) + "yn"
    _type_form(entry, code, "A", row)
    assert entry.save() is True
    _type_form(entry, code, "A", row)  # the same form typed twice
    assert entry.save() is True
    assert entry.confirm_box.layout.display == "none"


# -- the words, notes, plan and rituals forms clear the previous person ---------------
def test_the_rituals_form_is_empty_for_the_next_couple(session):
    from workshop_kit.exercises import rituals_plan
    from workshop_kit.widgets.common import CHOOSE
    from workshop_kit.widgets.exercises import RitualsPlanWidget

    code = session.couple_codes()[0]
    view = RitualsPlanWidget(session, couple_code=code)
    for (ritual, _own, day, at), (r, d, t) in zip(
        view.rows, [("walk", "Sunday", "10:00"), ("cooking", "Friday", "19:00")]
    ):
        ritual.value, day.value, at.value = r, d, t
    view.save()
    assert rituals_plan(session, code) is not None
    assert "Saved: A walk together" in view.message.value  # what was saved is said
    assert view.code_picker.value == CHOOSE
    assert [r[0].value for r in view.rows] == ["", "", ""]
    assert [r[3].value for r in view.rows] == ["", "", ""]


def test_the_calm_down_form_is_empty_for_the_next_person(session):
    from workshop_kit.exercises import calm_down_plan, load_exercises
    from workshop_kit.widgets.common import CHOOSE
    from workshop_kit.widgets.exercises import CalmDownPlanWidget

    content = load_exercises().calm_down
    code = session.couple_codes()[1]
    view = CalmDownPlanWidget(session, couple_code=code, partner="A", secret="tulip")
    view.signal.value = content.signals[0].id
    view.break_minutes.value = content.break_minutes[-1]
    view.come_back.value = content.come_back[0].id
    view.save()
    assert calm_down_plan(session, code, "A") is not None
    assert "Saved, partner A" in view.message.value
    assert view.code_picker.value == CHOOSE and view.partner_picker.value is None
    assert (view.signal.value, view.break_minutes.value, view.come_back.value) == ("", None, "")


# -- switching session in 00 reaches pages already open --------------------------------
def test_a_page_opened_before_a_switch_refuses_to_save_and_names_its_session(tmp_path, monkeypatch):
    import pytest

    from workshop_kit import locations
    from workshop_kit.errors import StoreError
    from workshop_kit.session import Session
    from workshop_kit.widgets.start import StartWidget

    monkeypatch.setenv("WORKSHOP_KIT_SESSIONS", str(tmp_path))
    monkeypatch.delenv("WORKSHOP_KIT_STORE", raising=False)
    start = StartWidget()
    start.title.value = "Morning group"
    start.create_button.click()
    morning = start.session.path
    page = locations.current_session()  # a notebook opened now (e.g. 10_checkin_before)
    code = page.couple_codes()[0]
    page.record_answer(code, "A", "before", "checkin", "qt1", 4)  # still current: saved

    start.title.value = "Evening group"
    start.create_button.click()  # the facilitator switches in 00
    assert "Pages already open keep the session" in start.message.value
    with pytest.raises(StoreError, match=r"“Morning group”.*has switched to"):
        page.record_answer(code, "A", "before", "checkin", "qt2", 5)
    widget = CheckinWidget(page, "before")
    widget.start(code, "A", secret="tulip")  # the secret is a write: refused too
    assert "Morning group" in " ".join(
        c.value for c in (widget.message, widget.gate.message) if hasattr(c, "value")
    )
    with Session.open(morning) as check:
        assert check.answers()["item_id"].tolist() == ["qt1"]  # nothing else landed
    start.open(morning)  # switching back makes the page write again
    page.record_answer(code, "A", "before", "checkin", "qt2", 5)
    page.close()


# -- a walk-in couple can be added after the session is created ------------------------
def test_a_walk_in_couple_is_added_from_00_and_reaches_an_open_checkin(tmp_path, monkeypatch):
    from workshop_kit.session import CODE_ALPHABET
    from workshop_kit.widgets.start import StartWidget

    monkeypatch.setenv("WORKSHOP_KIT_SESSIONS", str(tmp_path))
    monkeypatch.delenv("WORKSHOP_KIT_STORE", raising=False)
    start = StartWidget()
    start.title.value = "Walk-ins"
    start.couples.value = 2
    start.create_button.click()
    session = start.session
    checkin = CheckinWidget(session, "before")  # a page already open
    code = start.add_walk_in()
    assert code in session.couple_codes() and len(session.couple_codes()) == 3
    assert len(code) == 4 and set(code) <= set(CODE_ALPHABET)  # made like the others
    assert code in start.codes.value and f"Added couple {code}" in start.walk_in_message.value
    checkin.reset()  # "Next person": the open page now lists the new code
    choices = [o[1] if isinstance(o, tuple) else o for o in checkin.code_picker.options]
    assert code in choices


def test_add_couple_command_adds_fresh_codes(tmp_path, capsys):
    import pytest

    from workshop_kit.cli import main
    from workshop_kit.session import Session

    path = tmp_path / "s.sqlite"
    Session.create(path, "CLI", couples=2, seed=1).close()
    assert main(["add-couple", str(path)]) == 0
    assert main(["add-couple", str(path), "--count", "2"]) == 0
    assert main(["add-couple", str(path), "--code", "late7"]) == 0
    out = capsys.readouterr().out
    with Session.open(path) as s:
        codes = s.couple_codes()
    assert len(codes) == 6 and "LATE7" in codes
    assert all(code in out for code in codes[2:])
    assert main(["add-couple", str(path), "--code", "LATE7"]) == 2  # already there
    assert "already in this session" in capsys.readouterr().err
    assert main(["add-couple", str(path), "--count", "0"]) == 2
    with pytest.raises(SystemExit):
        main(["add-couple"])
    with Session.open(path) as s:
        assert len(s.couple_codes()) == 6


# -- the room's values view can be drawn again -----------------------------------------
def test_the_room_values_view_refreshes(session):
    from workshop_kit.values import load_deck
    from workshop_kit.values_session import place_card, set_top5
    from workshop_kit.widgets.cardsort import RoomValuesView

    deck = load_deck()
    view = RoomValuesView(session)
    before = view.image.value
    assert "0 people have chosen" in view.caption.value
    top = [card.id for card in deck.cards[:5]]
    for code in session.couple_codes()[:2]:
        for partner in "AB":
            for card in top:
                place_card(session, code, partner, card, "very", deck)
            set_top5(session, code, partner, top, deck)
    view.refresh_button.click()
    assert "4 people have chosen" in view.caption.value
    assert view.image.value != before  # drawn again from the store


# -- switching session in 00 clears what was said about the previous one ---------------
def test_switching_session_clears_the_support_message(tmp_path, monkeypatch):
    from workshop_kit.widgets.start import StartWidget

    monkeypatch.setenv("WORKSHOP_KIT_SESSIONS", str(tmp_path))
    monkeypatch.delenv("WORKSHOP_KIT_STORE", raising=False)
    start = StartWidget()
    start.title.value = "First"
    start.create_button.click()
    start.resources.value = "GP\nHelpline | 0800\nChurch | office"
    start.save_resources()
    assert "Saved 3 places to find support" in start.resources_message.value
    start.add_walk_in()
    start.title.value = "Second"
    start.create_button.click()
    assert start.resources.value == ""
    assert "Saved 3" not in start.resources_message.value
    assert "Added couple" not in start.walk_in_message.value


def test_00_says_plainly_when_pages_are_pinned_to_another_session(tmp_path, monkeypatch):
    from workshop_kit.session import Session
    from workshop_kit.widgets.start import StartWidget

    monkeypatch.setenv("WORKSHOP_KIT_SESSIONS", str(tmp_path))
    pinned = tmp_path / "pinned.sqlite"
    Session.create(pinned, "Pinned", couples=1, seed=1).close()
    monkeypatch.setenv("WORKSHOP_KIT_STORE", str(pinned))  # present mode --store
    start = StartWidget()
    start.title.value = "Another"
    start.create_button.click()
    assert "keep using it" in start.message.value and "pinned.sqlite" in start.message.value
    start.open(pinned)
    assert "keep using it" not in start.message.value
