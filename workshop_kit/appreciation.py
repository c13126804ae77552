"""Appreciation exercises: prompts, timed rounds, notes to each other and the room's words.

Pure logic (no matplotlib, no ipywidgets). The countdown is driven by an injected clock so
it can be tested without waiting; the widget ticks it. Everything is stored through
:class:`~workshop_kit.session.Session`:

- ``appreciation_note``: one entry per note, keyed by a note id, written by one partner
  to the other; private to its writer until the writer shares it.
- ``appreciation_words``: one entry per participant (key ``words``), one to three words.
- ``appreciation_round``: one session-level entry per round run on the projector.

Note text never leaves the couple: room outputs hold words (k-suppressed) and counts only.
"""

from __future__ import annotations

import math
import random
import time
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from .content import CONTENT_DIR, read_content, require
from .disclosure import release_view
from .errors import ContentError, InputError
from .records import records
from .session import PARTNERS, Session
from .tally import check_k, fold_small

NOTE_KIND = "appreciation_note"
WORDS_KIND = "appreciation_words"
ROUND_KIND = "appreciation_round"
WORDS_KEY = "words"
ADD_SECONDS = 30

Clock = Callable[[], float]


# -- content ------------------------------------------------------------------------
@dataclass(frozen=True)
class Prompt:
    """One prompt read aloud in a timed round."""

    id: str
    kind: str
    kind_name: str
    text: str
    seconds: int


@dataclass(frozen=True)
class PromptKind:
    id: str
    name: str
    intro: str
    prompts: tuple[Prompt, ...]


@dataclass(frozen=True)
class WordRules:
    """How the room words are checked: how many, how long, and which are kept off."""

    min: int
    max: int
    max_length: int
    question: str
    not_plurals: frozenset[str]
    block: frozenset[str]


@dataclass(frozen=True)
class AppreciationContent:
    kinds: tuple[PromptKind, ...]
    words: WordRules
    note_max_length: int
    card: dict[str, Any]
    path: Path

    def prompts(self, kind: str | None = None) -> list[Prompt]:
        """Every prompt in order, or those of one kind."""
        if kind is not None and kind not in {k.id for k in self.kinds}:
            raise InputError(
                f"prompt kind must be one of {[k.id for k in self.kinds]}; not {kind!r}"
            )
        return [p for k in self.kinds if kind in (None, k.id) for p in k.prompts]

    def prompt(self, prompt_id: str) -> Prompt:
        for prompt in self.prompts():
            if prompt.id == prompt_id:
                return prompt
        raise InputError(f"no appreciation prompt with id {prompt_id!r}")


def _positive_int(entry: dict, key: str, where: str, default: Any = ...) -> int:
    value = require(entry, key, int, where, default)
    if value is not None and value < 1:
        raise ContentError(f"{where}: field {key!r} must be at least 1; not {value!r}")
    return value


def load_appreciation(path: Path | str | None = None, language: str = "en") -> AppreciationContent:
    """Load and validate the appreciation content (prompts, word rules, card wording).

    >>> content = load_appreciation()
    >>> [kind.id for kind in content.kinds]
    ['thanks', 'gestures', 'strengths', 'growth', 'affirmations']
    >>> content.prompts("gestures")[0].seconds
    60
    """
    path = Path(path) if path else CONTENT_DIR / "appreciation.yaml"
    mtime = path.stat().st_mtime_ns if path.exists() else 0
    return _load_cached(path.resolve(), mtime, language)


@lru_cache(maxsize=8)
def _load_cached(path: Path, _mtime: int, language: str = "en") -> AppreciationContent:
    data = read_content(path, language)
    name = path.name
    kinds, seen = [], set()
    for entry in require(data, "kinds", list, name):
        if not isinstance(entry, dict):
            raise ContentError(f"{name}: each kind must be a mapping; not {entry!r}")
        kind_id = require(entry, "id", str, f"{name}, a kind")
        where = f"{name}, kind {kind_id!r}"
        kind_name = require(entry, "name", str, where)
        default_seconds = _positive_int(entry, "seconds", where, default=None)
        prompts = []
        for item in require(entry, "prompts", list, where):
            if not isinstance(item, dict):
                raise ContentError(f"{where}: each prompt must be a mapping; not {item!r}")
            prompt_id = require(item, "id", str, f"{where}, a prompt")
            pw = f"{where}, prompt {prompt_id!r}"
            if prompt_id in seen:
                raise ContentError(f"{pw}: prompt ids must be unique")
            seen.add(prompt_id)
            seconds = _positive_int(item, "seconds", pw, default=default_seconds)
            if seconds is None:
                raise ContentError(f"{pw}: needs 'seconds' (or a 'seconds' on its kind)")
            text = " ".join(require(item, "text", str, pw).split())
            prompts.append(Prompt(prompt_id, kind_id, kind_name, text, seconds))
        if not prompts:
            raise ContentError(f"{where}: field 'prompts' must list at least one prompt")
        kinds.append(
            PromptKind(
                kind_id,
                kind_name,
                " ".join(require(entry, "intro", str, where, "").split()),
                tuple(prompts),
            )
        )
    if len({k.id for k in kinds}) != len(kinds):
        raise ContentError(f"{name}: kind ids must be unique; got {[k.id for k in kinds]}")

    words = require(data, "words", dict, name)
    ww = f"{name}, words"
    lo, hi = _positive_int(words, "min", ww), _positive_int(words, "max", ww)
    if lo > hi:
        raise ContentError(f"{ww}: field 'min' must not be above 'max'; not {lo}..{hi}")
    not_plurals = frozenset(_lower_list(words, "not_plurals", ww))
    block_raw = _lower_list(words, "block", ww)
    block = frozenset(_singular(w, not_plurals) for w in block_raw) | frozenset(block_raw)
    rules = WordRules(
        lo,
        hi,
        _positive_int(words, "max_length", ww),
        " ".join(require(words, "question", str, ww).split()),
        not_plurals,
        block,
    )

    notes = require(data, "notes", dict, name)
    card = require(data, "card", dict, name)
    cw = f"{name}, card"
    for key in ("title", "from_to", "closing", "nothing_shared", "continued"):
        require(card, key, str, cw)
    partner_names = require(card, "partner_names", dict, cw)
    for partner in PARTNERS:
        require(partner_names, partner, str, f"{cw}, partner_names")
    return AppreciationContent(
        tuple(kinds),
        rules,
        _positive_int(notes, "max_length", f"{name}, notes"),
        {k: (" ".join(v.split()) if isinstance(v, str) else v) for k, v in card.items()},
        path,
    )


def _lower_list(entry: dict, key: str, where: str) -> list[str]:
    values = require(entry, key, list, where)
    for value in values:
        if not isinstance(value, str) or not value.strip():
            raise ContentError(f"{where}: field {key!r} must list words; not {value!r}")
    return [v.strip().lower() for v in values]


# -- words ----------------------------------------------------------------------------
def _singular(word: str, not_plurals: frozenset[str]) -> str:
    """A simple English plural rule; words it would get wrong are listed as data."""
    if word in not_plurals or len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is", "'s")):
        return word
    if word.endswith("s"):
        return word[:-1]
    return word


def normalise_word(word: str, rules: WordRules | None = None) -> str:
    """A word as the room board counts it: lower case, trimmed, singular.

    Surrounding spaces and punctuation go, curly apostrophes become straight ones,
    and simple English plurals become singular, so "Kindnesses!" and "kindness" count
    as the same word.

    Parameters
    ----------
    word : str
        One word as typed (any case, spaces, punctuation, NFKC-equivalent forms).
    rules : WordRules, optional
        The word rules of the content (``not_plurals``: words that only look plural);
        the kit's own when None.

    Returns
    -------
    str
        The word in NFKC, lower case, inner spaces single, without leading or trailing
        non-alphanumeric characters, made singular.

    Examples
    --------
    >>> [normalise_word(w) for w in ["  Patient ", "Kindnesses!", "HUGS", "Generous", "smiles"]]
    ['patient', 'kindness', 'hug', 'generous', 'smile']
    >>> normalise_word("“Kind-hearted”")
    'kind-hearted'
    """
    rules = rules or load_appreciation().words
    text = unicodedata.normalize("NFKC", str(word)).replace("’", "'").replace("‘", "'")
    text = " ".join(text.lower().split())
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return _singular(text[start:end], rules.not_plurals)


def _is_single_word(word: str) -> bool:
    if not word or not word[0].isalpha() or not word[-1].isalpha():
        return False
    return all(ch.isalpha() or ch in "-'" for ch in word)


def check_words(words: Sequence[str], rules: WordRules | None = None) -> list[str]:
    """Check and normalise one participant's words; blanks are ignored, repeats merged.

    Raises
    ------
    InputError
        Naming the word (by its position) and the rule it breaks: too few or too many,
        not a single word, too long, or kept off the room board.

    Parameters
    ----------
    words : sequence of str, or str
        The participant's words as typed (one string is one word); blanks and None
        are skipped.
    rules : WordRules, optional
        The content's word rules (how many, how long, which words stay off the board);
        the kit's own when None.

    Returns
    -------
    list of str
        The words normalised by :func:`normalise_word`, in the order given, each once.

    Examples
    --------
    >>> check_words(["Funny", "", "patient", "funny"])
    ['funny', 'patient']
    >>> check_words(["kind", "calm", "fun", "brave"])
    Traceback (most recent call last):
    ...
    workshop_kit.errors.InputError: please give from 1 to 3 different words; got 4
    """
    rules = rules or load_appreciation().words
    if isinstance(words, str):
        words = [words]
    clean: list[str] = []
    for position, raw in enumerate(words, start=1):
        if raw is None or not str(raw).strip():
            continue
        word = normalise_word(raw, rules)
        shown = " ".join(str(raw).split())
        if not _is_single_word(word):
            raise InputError(
                f"word {position} ({shown!r}) must be one single word, letters "
                "only (a - or ' inside is fine)"
            )
        if len(word) > rules.max_length:
            raise InputError(
                f"word {position} ({shown!r}) must be at most {rules.max_length} "
                f"letters long; it has {len(word)}"
            )
        parts = {
            word,
            *word.split("-"),
            *(_singular(p, rules.not_plurals) for p in word.split("-")),
        }
        if parts & rules.block:
            raise InputError(
                f"word {position} ({shown!r}) is on the list of words kept off "
                "the room board; please choose another"
            )
        if word not in clean:
            clean.append(word)
    if not rules.min <= len(clean) <= rules.max:
        raise InputError(
            f"please give from {rules.min} to {rules.max} different words; got {len(clean)}"
        )
    return clean


def save_words(
    session: Session, couple_code: str, partner: str, words: Sequence[str], source: str = "widget"
) -> list[str]:
    """Check, normalise and store one participant's words (replacing earlier ones).

    Parameters
    ----------
    session : Session
        The session to write to.
    couple_code, partner : str
        Who gave the words.
    words : sequence of str
        As for :func:`check_words`.
    source : str, default "widget"
        Where they came from (``widget``, ``paper``, ``import``, ``demo``, ``phone``).

    Returns
    -------
    list of str
        The words as stored (see :func:`check_words`).

    Raises
    ------
    InputError
        The words break a rule (nothing is stored), or the participant is unknown.
    """
    code, partner = session.check_participant(couple_code, partner)
    clean = check_words(words)
    session.put_entry(WORDS_KIND, WORDS_KEY, clean, code, partner, source=source)
    return clean


def withdraw_words(session: Session, couple_code: str, partner: str) -> None:
    """Take one participant's words off the room board."""
    code, partner = session.check_participant(couple_code, partner)
    session.put_entry(WORDS_KIND, WORDS_KEY, None, code, partner)


def words_of(session: Session, couple_code: str, partner: str) -> list[str]:
    """The words one participant gave (empty when none)."""
    code, partner = session.check_participant(couple_code, partner)
    found = session.entries(WORDS_KIND, code, partner, key=WORDS_KEY)
    return list(found[0].value) if found else []


def room_words(session: Session, k: int | None = None) -> pd.DataFrame:
    """Words given by at least ``k`` different participants, most given first.

    Parameters
    ----------
    session : Session
        The session to read.
    k : int, optional
        The threshold; the session's own when None.

    Returns
    -------
    pandas.DataFrame
        ``word, participants``, most participants first. Words under ``k`` are dropped
        (not folded into an "Other"): a rare word could point at one person.

    Raises
    ------
    InputError
        ``k`` is not a whole number of at least 1.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=2)
    >>> a, b = s.couple_codes()
    >>> for code, partner in [(a, "A"), (a, "B"), (b, "A")]:
    ...     _ = save_words(s, code, partner, ["Kind"])
    >>> save_words(s, b, "B", ["calm"])
    ['calm']
    >>> room_words(s, k=3).to_dict("records")
    [{'word': 'kind', 'participants': 3}]
    """
    k = check_k(session.k if k is None else k)
    rows = [
        {"contributor": f"{e.couple_code}/{e.partner}", "word": word}
        for e in session.entries(WORDS_KIND)
        for word in e.value
    ]
    if not rows:
        return pd.DataFrame({"word": pd.Series(dtype=str), "participants": pd.Series(dtype=int)})
    # The fold label starts with a character no normalised word can hold.
    folded = fold_small(pd.DataFrame(rows), "word", k, other="\0other")
    kept = folded[folded["word"] != "\0other"]
    return kept.rename(columns={"contributors": "participants"})[
        ["word", "participants"]
    ].reset_index(drop=True)


WORDS_VIEW = "room_words"


def published_room_words(session: Session) -> tuple[pd.DataFrame, int]:
    """The room's words as the room may see them now, and people until the next update.

    :func:`room_words` with the session's ``k``, released in batches
    (:func:`workshop_kit.disclosure.release_view`): the cloud moves only once at least
    ``k`` people gave, changed or withdrew words since every cloud shown before, so two
    successive clouds never show one person's words.
    """
    words = room_words(session)
    contributions = {
        f"{e.couple_code}/{e.partner}": tuple(e.value) for e in session.entries(WORDS_KIND)
    }
    figures = [
        {"word": str(w), "participants": int(n)}
        for w, n in zip(words["word"], words["participants"])
    ]
    shown, waiting = release_view(session.store, WORDS_VIEW, session.k, contributions, figures)
    frame = pd.DataFrame(shown or [], columns=["word", "participants"])
    return frame.astype({"word": str, "participants": int}), waiting


# -- notes ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Note:
    """An appreciation note from one partner (``writer``) to the other (``to``)."""

    id: str
    couple_code: str
    writer: str
    to: str
    text: str
    shared: bool
    saved_at: str


def other_partner(partner: str) -> str:
    """The partner a note goes to.

    Parameters
    ----------
    partner : str
        ``"A"`` or ``"B"``, the writer.

    Returns
    -------
    str
        The other one.

    Raises
    ------
    ValueError
        ``partner`` is neither ``"A"`` nor ``"B"``.

    Examples
    --------
    >>> other_partner("A")
    'B'
    """
    return PARTNERS[1 - PARTNERS.index(partner)]


def clean_note_text(text: str, max_length: int | None = None) -> str:
    """Trim a note, keep its line breaks, drop control characters; check its length."""
    max_length = max_length or load_appreciation().note_max_length
    if not isinstance(text, str):
        raise InputError(f"a note must be text; not {text!r}")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(lines).strip()
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    if not text:
        raise InputError("a note must not be empty; write a few words to your partner")
    if len(text) > max_length:
        raise InputError(
            f"a note must be at most {max_length} characters; this one has {len(text)}"
        )
    return text


def save_note(
    session: Session,
    couple_code: str,
    partner: str,
    text: str,
    shared: bool = False,
    source: str = "widget",
    note_id: str | None = None,
) -> str:
    """Store a new note from ``partner`` to the other partner; return its id.

    A note is private to its writer unless ``shared`` is True.
    """
    code, partner = session.check_participant(couple_code, partner)
    if not isinstance(shared, bool):
        raise InputError(f"shared must be True or False; not {shared!r}")
    clean = clean_note_text(text)
    note_id = note_id or str(uuid.uuid4())
    session.put_entry(
        NOTE_KIND,
        note_id,
        {"text": clean, "shared": shared, "to": other_partner(partner)},
        code,
        partner,
        source=source,
    )
    return note_id


def _note_entry(session: Session, couple_code: str, partner: str, note_id: str):
    code, partner = session.check_participant(couple_code, partner)
    found = session.entries(NOTE_KIND, code, partner, key=str(note_id))
    if not found:
        raise InputError(f"partner {partner} of couple {code} has no note with id {note_id!r}")
    return code, partner, found[0]


def set_note_shared(
    session: Session, couple_code: str, partner: str, note_id: str, shared: bool
) -> None:
    """Share a note with the partner, or make it private again (only its writer can)."""
    if not isinstance(shared, bool):
        raise InputError(f"shared must be True or False; not {shared!r}")
    code, partner, entry = _note_entry(session, couple_code, partner, note_id)
    session.put_entry(NOTE_KIND, entry.key, {**entry.value, "shared": shared}, code, partner)


def delete_note(session: Session, couple_code: str, partner: str, note_id: str) -> None:
    """Remove a note: it no longer shows anywhere, its card included, and its text is
    deleted from the store (every earlier version too; see :meth:`Session.erase_entry`)."""
    code, partner, entry = _note_entry(session, couple_code, partner, note_id)
    session.erase_entry(NOTE_KIND, entry.key, code, partner)


def notes(
    session: Session, couple_code: str, writer: str | None = None, shared_only: bool = False
) -> list[Note]:
    """One couple's notes, oldest first: all of one writer's, or only the shared ones."""
    code, _ = session.check_participant(couple_code, writer or "A")
    if writer is not None:
        _, writer = session.check_participant(code, writer)
    found = [
        Note(
            e.key,
            code,
            e.partner,
            e.value["to"],
            e.value["text"],
            bool(e.value["shared"]),
            e.created_at,
        )
        for e in session.entries(NOTE_KIND, code, writer)
    ]
    return [n for n in found if n.shared or not shared_only]


# -- counts for the facilitator (never text) ------------------------------------------
def notes_per_couple(session: Session) -> pd.DataFrame:
    """For the facilitator: per couple, how many notes were written and shared.

    Returns ``couple_code, notes_written, notes_shared, partners_with_words``: counts only.
    """
    codes = session.couple_codes()
    counts = {c: [0, 0, 0] for c in codes}
    for entry in session.entries(NOTE_KIND):
        counts[entry.couple_code][0] += 1
        counts[entry.couple_code][1] += bool(entry.value.get("shared"))
    for entry in session.entries(WORDS_KIND):
        counts[entry.couple_code][2] += 1
    return pd.DataFrame(
        [(c, *counts[c]) for c in codes],
        columns=["couple_code", "notes_written", "notes_shared", "partners_with_words"],
    )


# -- rounds ---------------------------------------------------------------------------
def record_round(
    session: Session,
    prompt: Prompt,
    seconds_run: float = 0.0,
    round_id: str | None = None,
    source: str = "widget",
) -> str:
    """Store (or update) a round run on the projector; return its id."""
    round_id = round_id or str(uuid.uuid4())
    session.put_entry(
        ROUND_KIND,
        round_id,
        {
            "prompt_id": prompt.id,
            "kind": prompt.kind,
            "seconds_planned": prompt.seconds,
            "seconds_run": round(float(seconds_run), 1),
        },
        source=source,
    )
    return round_id


def rounds_run(session: Session) -> pd.DataFrame:
    """The rounds run so far: ``prompt_id, kind, seconds_planned, seconds_run, started_at``."""
    rows = [
        {
            **{k: e.value[k] for k in ("prompt_id", "kind", "seconds_planned", "seconds_run")},
            "started_at": e.created_at,
        }
        for e in session.entries(ROUND_KIND)
    ]
    return pd.DataFrame(
        rows, columns=["prompt_id", "kind", "seconds_planned", "seconds_run", "started_at"]
    )


def format_clock(seconds: float) -> str:
    r"""Minutes and seconds, rounded up so "0:00" means the time is really up.

    Parameters
    ----------
    seconds : float
        Time left, in seconds; negative counts as 0.

    Returns
    -------
    str
        ``M:SS``.

    Notes
    -----
    Shows :math:`w = \max(0, \lceil s - 10^{-9} \rceil)` as
    :math:`\lfloor w/60 \rfloor` : :math:`w \bmod 60` (the tiny offset keeps float
    noise from adding a second).

    Examples
    --------
    >>> format_clock(90), format_clock(0.2), format_clock(0)
    ('1:30', '0:01', '0:00')
    """
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


class Countdown:
    """A countdown driven by an injected clock: start, pause, resume, add time.

    Parameters
    ----------
    seconds
        The length of the round.
    clock
        A function returning seconds (``time.monotonic`` by default); tests pass a fake.

    Examples
    --------
    >>> now = [0.0]
    >>> timer = Countdown(60, clock=lambda: now[0])
    >>> timer.start(); now[0] = 20.0
    >>> timer.remaining()
    40.0
    >>> timer.pause(); now[0] = 100.0; timer.remaining()
    40.0
    >>> timer.add(); timer.resume(); now[0] = 170.0
    >>> timer.finished, timer.state
    (True, 'finished')
    """

    def __init__(self, seconds: float, clock: Clock = time.monotonic):
        self.clock = clock
        self.reset(seconds)

    def reset(self, seconds: float | None = None) -> None:
        """Back to the start, not running (optionally with a new length)."""
        if seconds is not None:
            if (
                isinstance(seconds, bool)
                or not isinstance(seconds, (int, float))
                or not 0 < seconds <= 3600
            ):
                raise InputError(f"a round must last from 1 second to an hour; not {seconds!r}")
            self.total = float(seconds)
        self._elapsed = 0.0
        self._since: float | None = None

    def elapsed(self) -> float:
        """Seconds run so far (never more than the length)."""
        running = self.clock() - self._since if self._since is not None else 0.0
        return min(self.total, self._elapsed + running)

    def remaining(self) -> float:
        """Seconds left."""
        return max(0.0, self.total - self.elapsed())

    @property
    def finished(self) -> bool:
        return self.remaining() <= 0

    @property
    def running(self) -> bool:
        return self._since is not None and not self.finished

    @property
    def state(self) -> str:
        """One of "ready", "running", "paused", "finished"."""
        if self.finished:
            return "finished"
        if self._since is not None:
            return "running"
        return "paused" if self._elapsed > 0 else "ready"

    def start(self) -> None:
        """Start, or resume after a pause; after the end, start the round again."""
        if self.finished:
            self.reset()
        if self._since is None:
            self._since = self.clock()

    resume = start

    def pause(self) -> None:
        """Stop the clock, keeping the time left."""
        if self._since is not None:
            self._elapsed = self.elapsed()
            self._since = None

    def add(self, seconds: float = ADD_SECONDS) -> None:
        """Give the round more time; a round whose time was up runs on at once."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0:
            raise InputError(f"time to add must be a positive number of seconds; not {seconds!r}")
        if self.finished:
            self._elapsed, self._since = self.total, self.clock()
        self.total += float(seconds)


class RoundPlan:
    """A sequence of prompts, each with its own countdown, moved through with ``next()``.

    >>> plan = RoundPlan(load_appreciation().prompts("strengths"), clock=lambda: 0.0)
    >>> plan.current.id, plan.countdown.total, plan.position
    ('strengths_admire', 90.0, (1, 3))
    >>> plan.next(); plan.current.id
    'strengths_proud'
    """

    def __init__(self, prompts: Sequence[Prompt], clock: Clock = time.monotonic):
        if not prompts:
            raise InputError("a round plan needs at least one prompt")
        self.prompts = list(prompts)
        self.clock = clock
        self.index = 0
        self.countdown = Countdown(self.current.seconds, clock)

    @property
    def current(self) -> Prompt:
        return self.prompts[self.index]

    @property
    def position(self) -> tuple[int, int]:
        """(number of the current prompt, how many there are)."""
        return self.index + 1, len(self.prompts)

    @property
    def has_next(self) -> bool:
        return self.index + 1 < len(self.prompts)

    def next(self) -> None:
        """Move to the next prompt with a fresh countdown (not yet started)."""
        if not self.has_next:
            raise InputError(f"that was the last of {len(self.prompts)} prompts")
        self.index += 1
        self.countdown = Countdown(self.current.seconds, self.clock)


# -- summary and demo -----------------------------------------------------------------
def appreciation_summary(session: Session) -> dict[str, Any]:
    """Room aggregates for ``workshop-kit summary``: words (k-suppressed) and counts only."""
    per_couple = notes_per_couple(session)
    return {
        "words": records(published_room_words(session)[0]),
        "participants_with_words": int(per_couple["partners_with_words"].sum()),
        "rounds_run": len(rounds_run(session)),
        "notes_written": int(per_couple["notes_written"].sum()),
        "notes_shared": int(per_couple["notes_shared"].sum()),
        "couples_writing_notes": int((per_couple["notes_written"] > 0).sum()),
    }


_DEMO_NOTES = [
    "Thank you for making coffee every morning, even on the days I am grumpy.",
    "I noticed you cleared the car out before my long drive. It made me feel looked after.",
    "You are the calmest person I know when things go wrong. I lean on that more than I say.",
    "Thank you for listening last night without trying to fix it. That was exactly right.",
    "I love how you laugh at your own jokes before you get to the end of them 😊",
    "You believed I could go back to studying before I did. I would not have started without you.",
    "Thank you for ringing my mum every Sunday. She talks about it all week.",
    "When the kids were ill you took the night shifts so I could sleep. I saw that, and I am "
    "grateful. You never once made it feel like a favour. I want you to know that those "
    "nights are some of the moments I think about when I think about why I married you: not "
    "the big days, but you in the dark with a wet flannel, humming the same song over and "
    "over until everyone was asleep.",
    "Thank you for the note in my lunch box ❤",
    "תודה שאתה תמיד שם בשבילי",
]
# The same notes in Spanish for a Spanish demo (as many, so the seeded draws match).
_DEMO_NOTES_ES = [
    "Gracias por hacer el café cada mañana, aun los días en que estoy de mal humor.",
    "Vi que limpiaste el carro antes de mi viaje largo. Me sentí cuidada.",
    "Eres la persona más tranquila que conozco cuando algo sale mal. Me apoyo en eso más de "
    "lo que digo.",
    "Gracias por escucharme anoche sin tratar de arreglarlo. Fue justo lo que necesitaba.",
    "Me encanta cómo te ríes de tus chistes antes de terminarlos 😊",
    "Creíste que podía volver a estudiar antes que yo. Sin ti no habría empezado.",
    "Gracias por llamar a mi mamá cada domingo. Habla de eso toda la semana.",
    "Cuando los niños estaban enfermos, tú te quedabas despierto de noche para que yo "
    "durmiera. Lo vi, y te lo agradezco. Nunca lo hiciste sentir como un favor. Esas noches "
    "son de los momentos en que pienso cuando pienso por qué me casé contigo: no los días "
    "grandes, sino tú en la oscuridad con un paño mojado, cantando bajito la misma canción "
    "hasta que todos se dormían.",
    "Gracias por la nota en mi lonchera ❤",
    "תודה שאתה תמיד שם בשבילי",
]
_DEMO_WORDS_ES = [
    "paciente",
    "amable",
    "chistoso",
    "cariñoso",
    "leal",
    "generoso",
    "tranquilo",
    "honesto",
    "tierno",
    "atento",
    "valiente",
    "trabajador",
    "abrazos",
    "Amable",
    "Paciente",
]
_DEMO_WORDS = [
    "patient",
    "kind",
    "funny",
    "caring",
    "loyal",
    "generous",
    "calm",
    "honest",
    "gentle",
    "thoughtful",
    "brave",
    "hard-working",
    "hugs",
    "Kindness",
    "Patience",
]


def populate_appreciation(session: Session, rng: random.Random) -> None:
    """Demo notes (some shared, some private), room words and three rounds run.

    In a Spanish session the notes and words are Spanish ones (as many, so the seeded
    draws are the same).
    """
    spanish = session.language == "es"
    notes, words_pool = (_DEMO_NOTES_ES, _DEMO_WORDS_ES) if spanish else (_DEMO_NOTES, _DEMO_WORDS)
    entries = []
    for code in session.couple_codes():
        for partner in PARTNERS:
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                text = rng.choice(notes)
                value = {
                    "text": clean_note_text(text),
                    "shared": rng.random() < 0.6,
                    "to": other_partner(partner),
                }
                note_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                entries.append((NOTE_KIND, note_id, value, code, partner))
            if rng.random() < 0.85:
                # the first few words are common, so several reach k
                pool = words_pool[:5] * 3 + words_pool[5:]
                words = check_words(rng.sample(pool, rng.randint(1, 3)))
                entries.append((WORDS_KIND, WORDS_KEY, words, code, partner))
    content = load_appreciation()
    for prompt in (
        content.prompts("thanks")[0],
        content.prompts("gestures")[0],
        content.prompts("affirmations")[0],
    ):
        round_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        run = prompt.seconds + rng.choice([0, 0, 30])
        entries.append(
            (
                ROUND_KIND,
                round_id,
                {
                    "prompt_id": prompt.id,
                    "kind": prompt.kind,
                    "seconds_planned": prompt.seconds,
                    "seconds_run": float(run),
                },
                None,
                None,
            )
        )
    session.put_entries(entries, source="demo")
