"""Group commit: answers sent together are saved together; a bad one costs no other."""

from __future__ import annotations

import asyncio

from workshop_kit.errors import InputError
from workshop_kit.phones.writer import BatchWriter
from workshop_kit.session import Answer


def test_answers_sent_at_once_share_commits_and_all_land(session):
    codes = session.couple_codes()
    writer = BatchWriter(session)
    items = ["qt1", "qt2", "vu1", "vu2", "co1"]

    async def many():
        await asyncio.gather(
            *[
                writer.write([Answer(code, partner, "before", "checkin", item, 3)])
                for code in codes
                for partner in "AB"
                for item in items
            ]
        )

    asyncio.run(many())
    answers = session.answers("before")
    assert len(answers) == len(codes) * 2 * len(items) == writer.rows
    assert set(answers["source"]) == {"phone"}
    assert writer.commits < len(answers)  # shared commits


def test_a_bad_answer_is_refused_alone(session):
    code = session.couple_codes()[0]
    writer = BatchWriter(session)

    async def mixed():
        return await asyncio.gather(
            writer.write([Answer(code, "A", "before", "checkin", "qt1", 4)]),
            writer.write([Answer(code, "A", "before", "checkin", "qt2", 99)]),
            writer.write([], [("flag", "consent", True, code, "B")]),
            return_exceptions=True,
        )

    first, bad, flag = asyncio.run(mixed())
    assert first is None and flag is None
    assert isinstance(bad, InputError) and "from 1 to 5" in str(bad)
    assert session.answers()["item_id"].tolist() == ["qt1"]
    assert session.consents(code, "B") is True


def test_nothing_is_written_for_nothing(session):
    writer = BatchWriter(session)
    asyncio.run(writer.write())
    assert session.answers().empty and writer.rows == 0
