"""The reliability suite's ledger: what every test tried, written to docs/RELIABILITY.md.

Each test takes the ``ledger`` fixture and records what it tried under a topic
(``ledger.add("Crashes", "answers confirmed before SIGKILL", 120)``). When the whole suite
ran (every ``test_*.py`` of this folder, nothing deselected), the file is rewritten at the
end of the session. Its content is deterministic (sorted, no timestamps), so running the
suite again on the same code leaves it unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPORT = HERE.parents[1] / "docs" / "RELIABILITY.md"

TOPICS = {
    "Crashes": "A real process is killed with SIGKILL in the middle of its work; the store is "
    "then checked with `PRAGMA integrity_check` and every confirmed answer is looked up.",
    "Concurrency": "Several processes write and read one store at the same time (WAL mode, "
    '30 s busy timeout); no answer is lost and no "database is locked" reaches a user.',
    "Bad input": "Each case must end in a clear `WorkshopKitError` (what, where, what is "
    "allowed) or a safe result; on error the store's logical content (a dump of every "
    "table) is the same before and after.",
    "Properties": "Hypothesis draws random inputs (seeded: `derandomize=True`).",
    "Privacy": "Room outputs never show a group under k; packs hold one couple; exports "
    "are neutralised; files are owner-only; servers are local with a token.",
    "Purge": "`workshop-kit purge STORE [--yes]` deletes a session and its exports.",
}


class Ledger:
    """Counts of what the suite tried, per topic and line."""

    def __init__(self) -> None:
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.cases: dict[str, set[str]] = defaultdict(set)
        self.tests: dict[str, str] = {}

    def add(self, topic: str, what: str, n: int = 1) -> None:
        if topic not in TOPICS:
            raise KeyError(f"ledger topic must be one of {list(TOPICS)}; not {topic!r}")
        self.counts[topic][what] += int(n)

    def case(self, topic: str, case_id: str) -> None:
        self.add(topic, "cases tried")
        self.cases[topic].add(case_id)

    def markdown(self) -> str:
        lines = [
            "# Reliability and security report",
            "",
            "Written by the reliability suite (`tests/reliability/`) at the end of a full run;",
            "do not edit by hand. Regenerate with",
            "`.venv/bin/python -m pytest tests/reliability -q`.",
            "",
            "## Outcome",
            "",
        ]
        failed = sorted(t for t, outcome in self.tests.items() if outcome != "passed")
        passed = sum(1 for outcome in self.tests.values() if outcome == "passed")
        lines.append(f"- tests passed: {passed} of {len(self.tests)}")
        lines += [f"- NOT passed: `{t}` ({self.tests[t]})" for t in failed]
        for topic, intro in TOPICS.items():
            lines += ["", f"## {topic}", "", intro, ""]
            counts = self.counts.get(topic, {})
            if not counts:
                lines.append("- nothing recorded")
            for what in sorted(counts):
                lines.append(f"- {what}: {counts[what]:,}")
            if self.cases.get(topic):
                lines += ["", "Cases:", ""]
                lines += [f"- `{case}`" for case in sorted(self.cases[topic])]
        return "\n".join(lines) + "\n"


_LEDGER = Ledger()
_STATE = {"deselected": False, "modules": set()}


@pytest.fixture(scope="session")
def ledger() -> Ledger:
    return _LEDGER


def pytest_deselected(items):
    if any(Path(str(item.fspath)).parent == HERE for item in items):
        _STATE["deselected"] = True


def pytest_collection_modifyitems(session, config, items):
    _STATE["modules"] = {
        Path(str(item.fspath)).name for item in items if Path(str(item.fspath)).parent == HERE
    }


def pytest_runtest_logreport(report):
    if Path(str(report.fspath)).parent.name != HERE.name:
        return
    name = report.nodeid.split("reliability/", 1)[-1]
    if report.when == "call" or report.outcome != "passed":
        previous = _LEDGER.tests.get(name)
        if previous in (None, "passed"):
            _LEDGER.tests[name] = report.outcome


def pytest_sessionfinish(session, exitstatus):
    expected = {p.name for p in HERE.glob("test_*.py")}
    if _STATE["deselected"] or not expected or _STATE["modules"] != expected:
        return  # a partial run: keep the last full report
    if getattr(session.config.option, "keyword", "") or getattr(
        session.config.option, "markexpr", ""
    ):
        return
    text = _LEDGER.markdown()
    if not REPORT.exists() or REPORT.read_text(encoding="utf-8") != text:
        REPORT.write_text(text, encoding="utf-8")
