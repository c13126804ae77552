"""Group commit: the answers phones send at the same moment are saved in one transaction.

Every answer is committed before its phone hears back (so a reply means "saved"), but
answers that arrive while a commit is on its way wait for the next one together, so many
phones cost one disk flush instead of one each. The commit runs on a worker thread, so the
server keeps reading requests meanwhile. Everything still goes through
:meth:`Session.record_form <workshop_kit.session.Session.record_form>`, all or nothing; when
a batch is refused (one bad answer), each answer of it is tried on its own, so one phone's
mistake never costs another phone its answer.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from ..errors import WorkshopKitError
from ..session import Answer, Session


@dataclass
class _Pending:
    answers: list[Answer]
    entries: list[tuple]
    done: asyncio.Future = field(default=None)


class BatchWriter:
    """Save answers and entries from many phones with as few commits as possible.

    Parameters
    ----------
    session
        The session every write goes through.
    source
        The source recorded with every row (``phone``).

    Notes
    -----
    At most one commit is under way. With ``n`` phones answering at a steady rate and a
    commit taking ``c`` seconds, a commit holds about ``n·c/T`` answers (``T`` the time
    between one phone's answers), and an answer waits at most two commits.
    """

    def __init__(self, session: Session, source: str = "phone"):
        self.session = session
        self.source = source
        self.pending: list[_Pending] = []
        self.running = False
        self.commits = 0
        self.rows = 0

    async def write(self, answers=(), entries=()) -> None:
        """Save ``answers`` and ``entries`` (as :meth:`Session.record_form` takes them);
        return once they are committed; raise the kit's error when they are refused."""
        item = _Pending(list(answers), list(entries), asyncio.get_running_loop().create_future())
        self.pending.append(item)
        if not self.running:
            self.running = True
            asyncio.get_running_loop().create_task(self._drain())
        await item.done

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self.pending:
                batch, self.pending = self.pending, []
                try:
                    await loop.run_in_executor(None, self._commit, batch)
                except WorkshopKitError:
                    for item in batch:  # one by one, so only the bad one is refused
                        try:
                            await loop.run_in_executor(None, self._commit, [item])
                        except WorkshopKitError as exc:
                            _settle(item, exc)
                        else:
                            _settle(item)
                    continue
                except Exception as exc:  # the store failed: every waiting phone hears it
                    for item in batch:
                        _settle(item, exc)
                    continue
                for item in batch:
                    _settle(item)
        finally:
            self.running = False

    def _commit(self, batch: list[_Pending]) -> None:
        answers = [a for item in batch for a in item.answers]
        entries = [e for item in batch for e in item.entries]
        self.rows += self.session.record_form(answers, entries, source=self.source)
        self.commits += 1


def _settle(item: _Pending, error: BaseException | None = None) -> None:
    """Tell a waiting phone how its write went (unless it stopped waiting: it hung up)."""
    if item.done.done():
        return
    if error is None:
        item.done.set_result(None)
    else:
        item.done.set_exception(error)
