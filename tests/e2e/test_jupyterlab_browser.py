"""The notebooks run in JupyterLab, with JupyterLab's default settings, in Chromium.

JupyterLab 4.6 with ipykernel 7 sends widget messages over kernel subshells
(``commsOverSubshells``, on by default), so a click runs on a thread other than the
kernel's main one: these tests are what catches a callback that only works on the main
thread. One JupyterLab server (own config, settings and workspace folders, so nothing of
the machine's own set-up applies) serves a copy of the notebooks on a demo session for
the whole module; one Chromium page is reused. A test fails when a click raises anywhere:
JupyterLab's log console, the server log (kernels write there) or an error shown in a
widget; and it reads the store to see that the clicks were saved.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from workshop_kit.demo import build_demo
from workshop_kit.present import free_port
from workshop_kit.session import Session
from workshop_kit.widgets.checkin import checkin_steps

from .conftest import CHECKOUT, give_secret, screenshot

pytestmark = pytest.mark.browser

# In the log console everything is the kernel's: any traceback or error counts.
CONSOLE_ERRORS = re.compile(
    r"Traceback|Error|Exception|Something went wrong here|SQLite objects created in a thread"
)
# The server log also holds the server's own noise (a kernel stopped while starting, a
# websocket to a kernel just shut down): count what a kernel reports about running code.
SERVER_ERRORS = re.compile(
    r"\[IPKernelApp\] (ERROR|CRITICAL)|ProgrammingError|OperationalError|StoreError"
    r"|Exception in (comm|message|callback)|SQLite objects created in a thread"
    r"|Something went wrong here"
)


class Lab:
    """A running ``jupyter lab`` on a copy of the notebooks and a demo session."""

    def __init__(self, root: Path):
        self.root = root
        self.notebooks = root / "notebooks"
        self.store = root / "sessions" / "lab-demo.sqlite"
        self.log = root / "jupyterlab.log"
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.proc: subprocess.Popen | None = None
        self.log_mark = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, notebook: str) -> str:
        # ?reset: a fresh workspace, so tabs of earlier tests are not opened again
        return f"{self.base}/lab/tree/{notebook}?reset&token={self.token}"

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(
            f"{self.base}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return body

    def start(self) -> None:
        shutil.copytree(CHECKOUT / "notebooks", self.notebooks)
        self.store.parent.mkdir()
        session = build_demo(self.store, couples=12, seed=11)
        session.add_couples(10)
        session.close()
        env = dict(os.environ)
        env.update(
            {
                "PYTHONPATH": os.pathsep.join(
                    p for p in (str(CHECKOUT), env.get("PYTHONPATH", "")) if p
                ),
                "WORKSHOP_KIT_STORE": str(self.store),
                "WORKSHOP_KIT_SESSIONS": str(self.store.parent),
                "WORKSHOP_KIT_EXPORTS": str(self.root / "exports"),
                # JupyterLab's defaults: no user or machine settings apply
                "JUPYTER_CONFIG_DIR": str(self.root / "config"),
                "JUPYTERLAB_SETTINGS_DIR": str(self.root / "lab-settings"),
                "JUPYTERLAB_WORKSPACES_DIR": str(self.root / "lab-workspaces"),
                "JUPYTER_RUNTIME_DIR": str(self.root / "runtime"),
                "IPYTHONDIR": str(self.root / "ipython"),
            }
        )
        env.pop("MPLBACKEND", None)
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "jupyterlab",
                    "--no-browser",
                    "--ServerApp.ip=127.0.0.1",
                    f"--ServerApp.port={self.port}",
                    f"--IdentityProvider.token={self.token}",
                    f"--ServerApp.root_dir={self.notebooks}",
                    *(["--allow-root"] if os.geteuid() == 0 else []),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=self.root,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab stopped:\n{self.log.read_text()[-3000:]}")
            try:
                self.api("/api/status")
                return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"jupyter lab did not start:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def shutdown_kernels(self) -> None:
        import json

        for kernel in json.loads(self.api("/api/kernels")):
            with contextlib.suppress(OSError):
                self.api(f"/api/kernels/{kernel['id']}", method="DELETE")

    def new_log(self) -> str:
        """What the server (and the kernels it started) logged since the last call."""
        text = self.log.read_text(errors="replace")
        new, self.log_mark = text[self.log_mark :], len(text)
        return new


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    running = Lab(tmp_path_factory.mktemp("lab"))
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def lab_page(browser):
    from playwright.sync_api import expect

    # a kernel on a loaded machine may take several seconds to draw and save charts
    expect.set_options(timeout=30_000)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(45_000)
    tab = context.new_page()
    yield tab
    context.close()
    expect.set_options(timeout=5_000)  # Playwright's default, for the other modules


@pytest.fixture
def fresh(lab):
    """Codes of couples with no answers yet; each call of ``take()`` gives a new one."""
    with Session.open(lab.store) as session:
        answered = set(session.answers()["couple_code"])
        codes = [c for c in session.couple_codes() if c not in answered]
    return codes


@pytest.fixture
def clean(lab, lab_page):
    """Each test starts with no kernel running and no old log; afterwards nothing may have
    raised: not in the log console, not in the server log."""
    lab.shutdown_kernels()
    lab.new_log()
    yield
    problems = kernel_problems(lab, lab_page)
    lab.shutdown_kernels()
    assert not problems, problems


def kernel_problems(lab: Lab, page) -> list[str]:
    """Every error line in JupyterLab's log console and in the server's log."""
    found = []
    console = log_console_text(page)
    found += [
        f"log console: {line}" for line in console.splitlines() if CONSOLE_ERRORS.search(line)
    ]
    found += [
        f"server log: {line}" for line in lab.new_log().splitlines() if SERVER_ERRORS.search(line)
    ]
    return found


def menu(page, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{top}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")).click()


def log_console_text(page) -> str:
    """Open JupyterLab's log console (View menu) and return what it shows, every level."""
    if page.locator(".jp-LogConsolePanel").count() == 0:
        menu(page, "View", "Show Log Console")
        page.locator(".jp-LogConsolePanel").wait_for(state="attached")
    level = page.locator(".jp-LogConsolePanel select, .jp-LogConsole-toolbarLogLevel select")
    if level.count():
        level.first.select_option("debug")
    page.wait_for_timeout(500)
    return page.locator(".jp-LogConsolePanel").inner_text()


def kernel_idle(lab: Lab, notebook: str, settle: float = 1.0, timeout: float = 120) -> None:
    """Wait until the one kernel of ``notebook`` is idle and has stayed so for ``settle`` s."""
    import json

    deadline, idle_since = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        sessions = [s for s in json.loads(lab.api("/api/sessions")) if s["path"].endswith(notebook)]
        states = [s["kernel"]["execution_state"] for s in sessions]
        if states == ["idle"]:
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since >= settle:
                return
        else:
            idle_since = None
        time.sleep(0.25)
    raise AssertionError(f"the kernel of {notebook} did not become idle")


def run_notebook(lab: Lab, page, notebook: str, wait_for: str = ".wk-root") -> None:
    """Open ``notebook`` in JupyterLab, Run All Cells from the Run menu, wait for widgets."""
    page.goto(lab.url(notebook), wait_until="domcontentloaded")
    page.locator(".jp-Notebook").first.wait_for(state="visible", timeout=120_000)
    for attempt in range(3):
        kernel_idle(lab, notebook)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
            state="attached", timeout=120_000
        )
        menu(page, "Run", "Run All Cells")
        if not wait_for:
            break
        try:
            page.locator(f".jp-OutputArea {wait_for}").first.wait_for(
                state="visible", timeout=45_000
            )
            break
        except Exception:
            screenshot(page, f"jupyterlab-not-run-{notebook}-{attempt}")
            if attempt == 2:
                raise
    kernel_idle(lab, notebook, settle=0.5)


def widget_errors(page) -> list[str]:
    """Errors shown in the notebook's outputs (the private panel's red title is none)."""
    shown = page.locator(".jp-OutputArea .wk-error").all_inner_texts()
    return [t for t in shown if t.strip() and not t.startswith("Facilitator only")] + page.locator(
        ".jp-OutputArea-output[data-mime-type*='error']"
    ).all_inner_texts()


def answers_of(store: Path, code: str, partner: str, phase: str) -> list[float]:
    with Session.open(store) as session:
        saved = session.answers(phase=phase)
    mine = saved[(saved.couple_code == code) & (saved.partner == partner)]
    return mine["value"].tolist()


# -- the check-in, thoroughly -------------------------------------------------------------
def start_checkin(page, code: str, partner: str, secret: str) -> None:
    root = page.locator(".jp-OutputArea .wk-root").first
    root.locator("select").select_option(label=code)
    root.get_by_role("button", name=f"Partner {partner}", exact=True).click()
    root.get_by_role("button", name="Start", exact=True).click()
    fields = root.locator(".wk-secret input[type=password]")
    fields.nth(0).fill(secret)
    fields.nth(1).fill(secret)
    root.get_by_role("button", name="Save my secret", exact=True).click()


def expect_question(page, number: int, total: int) -> None:
    from playwright.sync_api import expect

    expect(page.locator(".jp-OutputArea .wk-progress").first).to_contain_text(
        f"question {number} of {total}"
    )


def click_answer(page, label: str, number: int, total: int) -> None:
    from playwright.sync_api import expect

    expect_question(page, number, total)
    expect(page.locator(".wk-choice button.wk-chosen")).to_have_count(0)
    page.locator(".jp-OutputArea .wk-choice").get_by_role(
        "button", name=re.compile(rf"^{re.escape(label)}\b")
    ).click()


@pytest.mark.parametrize(
    ("notebook", "phase"),
    [("10_checkin_before.ipynb", "before"), ("40_checkin_after.ipynb", "after")],
)
def test_checkin_in_jupyterlab_saves_every_click(lab, lab_page, clean, fresh, notebook, phase):
    page, code = lab_page, fresh[0]
    with Session.open(lab.store) as session:
        total = len(checkin_steps(session))
    run_notebook(lab, page, notebook)
    start_checkin(page, code, "A", "tulip7")
    labels = ["4", "2", "5", "3", "1"]
    for number, label in enumerate(labels, start=1):
        click_answer(page, label, number, total)
    expect_question(page, len(labels) + 1, total)
    if phase == "before":
        screenshot(page, "jupyterlab-10_checkin_before-question")
    assert answers_of(lab.store, code, "A", phase) == [4.0, 2.0, 5.0, 3.0, 1.0]

    # Skip is saved as skipped; Back and Next move without losing anything
    page.get_by_role("button", name="Skip this one").click()
    expect_question(page, len(labels) + 2, total)
    page.get_by_role("button", name="◀ Back").click()
    expect_question(page, len(labels) + 1, total)
    page.get_by_role("button", name="Next ▶").click()
    expect_question(page, len(labels) + 2, total)
    saved = answers_of(lab.store, code, "A", phase)
    assert saved[:5] == [4.0, 2.0, 5.0, 3.0, 1.0] and len(saved) == 6
    assert saved[5] != saved[5]  # NaN: skipped, never zero
    assert widget_errors(page) == []


@pytest.mark.parametrize("phase", ["before", "after"])
def test_checkin_in_jupyterlab_to_the_end_with_both_partners(lab, lab_page, clean, fresh, phase):
    """Every question of one partner, then the other partner on the same page."""
    page = lab_page
    code = fresh[0]
    with Session.open(lab.store) as session:
        steps = checkin_steps(session)
    run_notebook(
        lab, page, f"{'10_checkin_before' if phase == 'before' else '40_checkin_after'}.ipynb"
    )
    for partner, secret in (("A", "rose42"), ("B", "lily42")):
        start_checkin(page, code, partner, secret)
        for number, step in enumerate(steps, start=1):
            label = "Yes" if step.kind == "flag" else "3"
            click_answer(page, label, number, len(steps))
        from playwright.sync_api import expect

        expect(page.locator(".jp-OutputArea .wk-ok").first).to_contain_text(
            f"Thank you, partner {partner}"
        )
        page.get_by_role("button", name="Next person").click()
        page.locator(".jp-OutputArea .wk-root select").first.wait_for(state="visible")
    items = sum(1 for s in steps if s.kind != "flag")
    with Session.open(lab.store) as session:
        for partner in "AB":
            assert len(answers_of(lab.store, code, partner, phase)) == items
            assert session.flag(code, partner, "consent") is True
    assert widget_errors(page) == []


# -- the main flow of every other notebook ------------------------------------------------
def output_root(page, index: int = 0):
    return page.locator(".jp-OutputArea .wk-root").nth(index)


def test_values_sort_in_jupyterlab(lab, lab_page, clean, fresh):
    from playwright.sync_api import expect

    from workshop_kit.values import load_deck
    from workshop_kit.values_session import read_sort

    page, code, deck = lab_page, fresh[0], load_deck()
    run_notebook(lab, page, "20_shared_values.ipynb")
    root = output_root(page)
    root.locator("select").first.select_option(label=code)
    root.get_by_role("button", name="Partner A", exact=True).click()
    root.get_by_role("button", name="Start", exact=True).click()
    progress = root.locator(".wk-progress").first
    piles = ["Very important", "Important", "Not important", "Very important"]
    for done, pile in enumerate(piles):
        expect(progress).to_contain_text(f"{done} of {len(deck.cards)} cards sorted")
        root.get_by_role("button", name=pile, exact=True).click()
    expect(progress).to_contain_text(f"{len(piles)} of {len(deck.cards)} cards sorted")
    with Session.open(lab.store) as session:
        sort = read_sort(session, code, "A", deck)
    assert sorted(sort.piles.values()) == sorted(["very", "important", "not", "very"])
    assert widget_errors(page) == []


def test_appreciation_round_words_and_notes_in_jupyterlab(lab, lab_page, clean, fresh):
    from playwright.sync_api import expect

    from workshop_kit import appreciation as ap

    page, code = lab_page, fresh[0]
    with Session.open(lab.store) as session:
        rounds_before = len(ap.rounds_run(session))
    run_notebook(lab, page, "30_appreciation.ipynb")
    rounds, notes, words = output_root(page, 0), output_root(page, 1), output_root(page, 2)

    rounds.get_by_role("button", name="▶ Start", exact=True).click()
    page.wait_for_timeout(2500)
    rounds.get_by_role("button", name="❚❚ Pause", exact=True).click()
    rounds.get_by_role("button", name="Next prompt ▶", exact=True).click()

    notes.locator("select").first.select_option(label=code)
    notes.get_by_role("button", name="Partner B", exact=True).click()
    notes.get_by_role("button", name="Open my notes", exact=True).click()
    fields = notes.locator(".wk-secret input[type=password]")
    fields.nth(0).fill("maple9")
    fields.nth(1).fill("maple9")
    notes.get_by_role("button", name="Save my secret", exact=True).click()
    notes.locator("textarea").fill("Thank you for the tea this morning.")
    notes.get_by_role("button", name="Save note", exact=True).click()
    expect(notes.locator(".wk-ok")).to_be_visible()

    words.locator("select").first.select_option(label=code)
    words.get_by_role("button", name="Partner A", exact=True).click()
    words.get_by_placeholder("word 1").fill("kind")
    words.get_by_placeholder("word 2").fill("funny")
    words.get_by_role("button", name="Save my words", exact=True).click()
    expect(words.locator(".wk-ok")).to_be_visible()

    with Session.open(lab.store) as session:
        assert len(ap.rounds_run(session)) == rounds_before + 1
        assert [n.text for n in ap.notes(session, code, "B")] == [
            "Thank you for the tea this morning."
        ]
        assert ap.words_of(session, code, "A") == ["kind", "funny"]
    assert widget_errors(page) == []


def test_practice_exercises_in_jupyterlab(lab, lab_page, clean, fresh):
    from playwright.sync_api import expect

    from workshop_kit import exercises as ex

    page, code = lab_page, fresh[0]
    with Session.open(lab.store) as session:
        listened = ex.listening_totals(session)["rounds"]

    run_notebook(lab, page, "32_active_listening.ipynb")
    root = output_root(page)
    root.get_by_role("button", name="▶ Start", exact=True).click()
    root.get_by_role("button", name="Next: Reflect back ▶", exact=True).click()
    root.get_by_role("button", name="Finish round", exact=True).click()
    expect(root.locator(".wk-ok")).to_contain_text("Well done")

    run_notebook(lab, page, "34_rituals_plan.ipynb")
    root = output_root(page)
    selects = root.locator("select")
    selects.first.select_option(label=code)
    for row in range(2):  # the first two suggested rituals, on Sunday
        selects.nth(1 + 2 * row).select_option(index=1 + row)
        selects.nth(2 + 2 * row).select_option(label="Sunday")
        root.get_by_placeholder("19:30").nth(row).fill(f"1{row}:00")
    root.get_by_role("button", name="Save plan", exact=True).click()
    expect(root.locator(".wk-ok, .wk-error")).to_contain_text("Saved:")

    run_notebook(lab, page, "36_calm_down_plan.ipynb")
    root = output_root(page)
    code_picker, signal, come_back = (root.locator("select").nth(i) for i in range(3))
    code_picker.select_option(label=code)
    root.get_by_role("button", name="Partner A", exact=True).click()
    give_secret(page, "cedar4", root=root)  # the plan is partner A's own
    signal.select_option(index=1)
    root.get_by_role("button", name="20 min", exact=True).click()
    come_back.select_option(index=1)
    root.get_by_role("button", name="Save plan", exact=True).click()
    expect(root.locator(".wk-ok")).to_contain_text("Saved, partner A")

    with Session.open(lab.store) as session:
        assert ex.listening_totals(session)["rounds"] == listened + 1
        assert session.entries(ex.RITUALS_KIND, code)
        assert session.entries(ex.CALM_DOWN_KIND, code, "A")
    assert widget_errors(page) == []


def test_paper_entry_in_jupyterlab(lab, lab_page, clean, fresh):
    from playwright.sync_api import expect

    from workshop_kit.paper import form_fields

    page, code = lab_page, fresh[0]
    with Session.open(lab.store) as session:
        fields = form_fields(session.content)
    row = "".join(
        "y" if f.kind == "flag" else ("5" if f.kind == "picture" else "3") for f in fields
    )
    run_notebook(lab, page, "60_tally_paper_forms.ipynb")
    entry = output_root(page)
    entry.get_by_placeholder("couple code").fill(code)
    entry.get_by_placeholder("A or B").fill("A")
    entry.get_by_placeholder(f"{len(fields)} answers").fill(row)
    expect(entry).to_contain_text(f"{len(fields)} of {len(fields)} answers typed.")
    entry.get_by_role("button", name="Save this form", exact=True).click()
    expect(entry).to_contain_text(f"Saved couple {code}, partner A (before)")
    numeric = sum(f.kind != "flag" for f in fields)
    assert len(answers_of(lab.store, code, "A", "before")) == numeric
    assert widget_errors(page) == []


def test_dashboard_in_jupyterlab(lab, lab_page, clean, fresh):
    from playwright.sync_api import expect

    page, code = lab_page, fresh[0]
    run_notebook(lab, page, "70_room_dashboard.ipynb", wait_for=".wk-root img")
    chart = page.locator(".jp-OutputArea .wk-root img").first
    expect(chart).to_have_attribute("src", re.compile(r"\S"))
    first = chart.get_attribute("src")
    with Session.open(lab.store) as other:
        item = other.content.instrument("checkin").items[0].id
        for partner in "AB":
            other.record_answer(code, partner, "before", "checkin", item, 4)
    expect(chart).not_to_have_attribute("src", first, timeout=30_000)
    # the facilitator-only panel opens from a click (a subshell thread in JupyterLab)
    page.get_by_role("button", name="Show the facilitator-only panel").click()
    expect(page.locator(".jp-OutputArea .wk-private")).to_be_visible()
    page.get_by_role("button", name="Hide the facilitator-only panel").click()
    expect(page.locator(".jp-OutputArea .wk-private")).to_be_hidden()
    assert widget_errors(page) == []


def test_results_and_pack_export_in_jupyterlab(lab, lab_page, clean):
    from playwright.sync_api import expect

    page = lab_page
    run_notebook(lab, page, "50_results.ipynb")
    expect(page.locator(".jp-OutputArea img").first).to_be_visible()
    with Session.open(lab.store) as session:
        codes = session.couple_codes()
    charts = output_root(page, 0)
    charts.locator("select").first.select_option(label=codes[0])
    charts.get_by_role("button", name="Save this couple's charts", exact=True).click()
    expect(charts.locator(".wk-ok, .wk-error")).to_contain_text("Saved")
    page.get_by_role("button", name="Export take-home packs").click()
    expect(page.get_by_text("take-home packs (A4)")).to_be_visible(timeout=300_000)
    packs = lab.root / "exports" / lab.store.stem / "packs"
    pdfs = sorted(packs.rglob("*.pdf"))
    assert {p.parent.name for p in pdfs} >= set(codes[:3]), pdfs[:5]
    assert list((lab.root / "exports").rglob(f"{codes[0]}-checkin-charts.pdf"))
    assert widget_errors(page) == []
