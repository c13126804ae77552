"""Load and validate the content packs (YAML): instruments, and helpers for other packs.

Content is data: questions, values and prompts live in ``workshop_kit/content/*.yaml``.
Every file carries a ``schema_version``; loading checks the whole structure and an error
names the file, the entry and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError

CONTENT_DIR = Path(__file__).parent / "content"
SUPPORTED_SCHEMA_VERSION = 1
DEFAULT_LANGUAGE = "en"

#: Fields that are never words: ids, scoring facts, citations and word-filter lists.
#: A translation may not contain them; everything else that is text is a word to translate
#: (and a list named ``rituals`` is a list of ritual ids, see :func:`_words_key`).
NOT_WORDS = frozenset(
    {
        "id",
        "schema_version",
        "scale",
        "scoring",
        "kind",
        "method",
        "source",
        "sd_source",
        "block",
        "not_plurals",
    }
)


def read_yaml(path: Path) -> dict[str, Any]:
    """Read a content file and check its ``schema_version``.

    Raises
    ------
    ContentError
        When the file is missing, is not valid YAML, is not a mapping, or has an
        unsupported ``schema_version``.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContentError(f"{path}: cannot read content file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ContentError(
            f"{path}: byte {exc.start} is not UTF-8 text; save the file as UTF-8"
        ) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ContentError(f"{path}:{where} is not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise ContentError(f"{path}: must be a YAML mapping at the top level")
    version = data.get("schema_version")
    if version != SUPPORTED_SCHEMA_VERSION:
        raise ContentError(
            f"{path}: schema_version must be {SUPPORTED_SCHEMA_VERSION}; not {version!r}"
        )
    return data


def content_languages() -> tuple[str, ...]:
    """The languages the content files come in: English, then each ``content/<lang>/`` folder.

    >>> content_languages()[:2]
    ('en', 'es')
    """
    found = sorted(
        p.name for p in CONTENT_DIR.iterdir() if p.is_dir() and not p.name.startswith("_")
    )
    return (DEFAULT_LANGUAGE, *[lang for lang in found if lang != DEFAULT_LANGUAGE])


def check_language(language: str) -> str:
    """``language`` when the content comes in it, else the kit's error naming the choices.

    >>> check_language("es")
    'es'
    >>> check_language("xx")
    Traceback (most recent call last):
    ...
    workshop_kit.errors.InputError: language must be one of ['en', 'es']; not 'xx'
    """
    from .errors import one_of

    languages = content_languages()
    if language not in languages:
        raise one_of("language", language, list(languages))
    return language


def _words_key(key: Any, value: Any) -> bool:
    """Whether ``key`` (holding ``value`` in the English file) holds words."""
    if key in NOT_WORDS:
        return False
    return not (key == "rituals" and isinstance(value, list))


def _overlay(base: Any, words: Any, where: str) -> Any:
    """``base`` with every string of ``words`` put in its place (ids and numbers stay).

    Mappings match by key; lists of mappings match by ``id`` (by position when they
    have no ids); lists of strings are replaced whole and must keep their length. A
    key, an id or a number that is not in ``base`` is an error: a translation carries
    words only.
    """
    if isinstance(base, dict):
        if not isinstance(words, dict):
            raise ContentError(f"{where}: must be a mapping like the English file")
        merged = dict(base)
        for key, value in words.items():
            if key not in base:
                raise ContentError(
                    f"{where}: {key!r} is not in the English file (a translation carries "
                    "words only, under the same keys and ids)"
                )
            if key in ("id", "schema_version"):
                continue
            if not _words_key(key, base[key]):
                raise ContentError(f"{where}: field {key!r} is not words; leave it out")
            merged[key] = _overlay(base[key], value, f"{where}, {key}")
        return merged
    if isinstance(base, list):
        if not isinstance(words, list):
            raise ContentError(f"{where}: must be a list like the English file")
        if base and all(isinstance(b, dict) and "id" in b for b in base):
            by_id = {b["id"]: i for i, b in enumerate(base)}
            merged = list(base)
            for entry in words:
                entry_id = entry.get("id") if isinstance(entry, dict) else None
                if entry_id not in by_id:
                    raise ContentError(
                        f"{where}: id {entry_id!r} must be one of {list(by_id)} (ids come "
                        "from the English file)"
                    )
                merged[by_id[entry_id]] = _overlay(
                    base[by_id[entry_id]], entry, f"{where}, {entry_id!r}"
                )
            return merged
        if base and all(isinstance(b, dict) for b in base):
            if len(words) != len(base):
                raise ContentError(
                    f"{where}: must list {len(base)} entries in the English order; got {len(words)}"
                )
            return [
                _overlay(b, x, f"{where} entry {i}")
                for i, (b, x) in enumerate(zip(base, words), start=1)
            ]
        if len(words) != len(base) or not all(isinstance(x, str) for x in words):
            raise ContentError(
                f"{where}: must list {len(base)} texts, one for each English one; got {len(words)}"
            )
        return list(words)
    if isinstance(base, str):
        if not isinstance(words, str) or not words.strip():
            raise ContentError(f"{where}: must be words; not {words!r}")
        return words
    raise ContentError(f"{where}: is a number or a yes/no in the English file, not words")


def word_paths(data: Any, path: tuple = ()) -> set[tuple]:
    """Where ``data`` holds words: a set of key/id paths to each translatable text.

    >>> sorted(word_paths({"id": "x", "name": "Trust", "items": [{"id": "a", "text": "Hi"}]}))
    [('items', 'a', 'text'), ('name',)]
    """
    found: set[tuple] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if _words_key(key, value):
                found |= word_paths(value, (*path, key))
    elif isinstance(data, list):
        if data and all(isinstance(x, dict) and "id" in x for x in data):
            for entry in data:
                found |= word_paths(entry, (*path, entry["id"]))
        elif data and all(isinstance(x, dict) for x in data):
            for i, entry in enumerate(data):
                found |= word_paths(entry, (*path, i))
        elif data and all(isinstance(x, str) for x in data):
            found.add(path)
    elif isinstance(data, str):
        found.add(path)
    return found


def read_content(path: Path | str, language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """Read a content file in ``language``: the English file with that language's words.

    The words of language ``xx`` live next to the English file in ``xx/<same name>``
    (``content/es/checkin.yaml``) and carry only words, under the English file's keys
    and ids; ids, scales, scoring and every number come from the English file, so an
    answer scores the same in every language.

    Parameters
    ----------
    path : Path or str
        The English content file.
    language : str
        A language code, such as ``"es"``; ``"en"`` reads the file as it is.

    Returns
    -------
    dict
        The content, its words in ``language``.

    Raises
    ------
    ContentError
        When either file is unreadable, or the translation carries a key, an id or a
        number the English file does not have.

    Examples
    --------
    >>> data = read_content(CONTENT_DIR / "values.yaml", "es")
    >>> data["values"][0]["id"]
    'affection'
    """
    path = Path(path)
    data = read_yaml(path)
    if language == DEFAULT_LANGUAGE:
        return data
    words_path = path.parent / language / path.name
    if not words_path.exists():
        raise ContentError(
            f"{words_path}: there are no words in {language!r} for {path.name}; "
            f"add the file or choose one of {list(content_languages())}"
        )
    words = read_yaml(words_path)
    return _overlay(data, words, f"{language}/{path.name}")


def require(entry: dict, key: str, kind: type | tuple, where: str, default: Any = ...) -> Any:
    """Return ``entry[key]`` checked against ``kind``; ``where`` names file and entry.

    >>> require({"name": "Trust"}, "name", str, "values.yaml, value 'trust'")
    'Trust'
    >>> require({}, "name", str, "values.yaml, value 'trust'")
    Traceback (most recent call last):
    ...
    workshop_kit.errors.ContentError: values.yaml, value 'trust': field 'name' is missing
    """
    if key not in entry or entry[key] is None:
        if default is not ...:
            return default
        raise ContentError(f"{where}: field {key!r} is missing")
    value = entry[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, float)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ContentError(f"{where}: field {key!r} must be {names}; not {value!r}")
    return value


@dataclass(frozen=True)
class Item:
    id: str
    text: str | None
    min: int
    max: int
    reversed: bool = False

    def score(self, value: float) -> float:
        """The value as scored: reversed items are mirrored within their range."""
        return (self.min + self.max - value) if self.reversed else value


@dataclass(frozen=True)
class Band:
    name: str
    below: float | None
    follow_up: bool = False


@dataclass(frozen=True)
class Subscale:
    id: str
    name: str
    items: tuple[Item, ...]
    overall: bool = False
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True)
class Reliability:
    """Where reliable change takes its reliability (and, from a published norm, its SD).

    ``kind`` says which reliability it is: "internal consistency" (Cronbach's alpha, the
    error of one sitting: what a room can estimate, and what ``published_alpha`` gives)
    or "test-retest" (a published correlation between two sittings). ``sd`` with
    ``sd_source`` is a published norm's spread of scores; without it the room's "before"
    spread is used, and only when enough people answered.
    """

    method: str  # "sample", "published_r" or "published_alpha"
    source: str
    r: float | None = None
    kind: str = "internal consistency"
    sd: float | None = None
    sd_source: str = ""


@dataclass(frozen=True)
class Instrument:
    """One questionnaire or picture scale, as data."""

    id: str
    name: str
    kind: str  # "items" or "picture"
    scoring: str = "mean"  # "mean" or "sum"
    subscales: tuple[Subscale, ...] = ()
    min: int | None = None  # picture scales
    max: int | None = None
    intro: str = ""
    source: str = ""
    optional: bool = False
    min_answered: float = 0.5
    positive_from: float | None = None
    anchors: dict[int, str] = field(default_factory=dict)
    total_min: float | None = None
    total_max: float | None = None
    cutoffs: tuple[Band, ...] = ()
    reliability: Reliability | None = None

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for sub in self.subscales for item in sub.items)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def ready(self) -> bool:
        """Whether it can be shown to participants: every item has its wording."""
        return self.kind == "picture" or all(item.text for item in self.items)

    @property
    def value_range(self) -> tuple[int, int]:
        if self.kind == "picture":
            return (self.min, self.max)
        return (min(i.min for i in self.items), max(i.max for i in self.items))


@dataclass(frozen=True)
class Flag:
    id: str
    text: str
    help: str = ""


@dataclass(frozen=True)
class CheckinContent:
    instruments: tuple[Instrument, ...]
    flags: tuple[Flag, ...]
    path: Path
    language: str = DEFAULT_LANGUAGE

    def instrument(self, instrument_id: str) -> Instrument:
        for inst in self.instruments:
            if inst.id == instrument_id:
                return inst
        from .errors import one_of

        raise one_of("instrument", instrument_id, [i.id for i in self.instruments])

    @property
    def shown_instruments(self) -> tuple[Instrument, ...]:
        """Instruments a participant sees: those whose every item has its wording."""
        return tuple(inst for inst in self.instruments if inst.ready)


def _bands(entries: Any, where: str) -> tuple[Band, ...]:
    if entries is None:
        return ()
    if not isinstance(entries, list):
        raise ContentError(f"{where}: must be a list")
    bands = []
    for i, entry in enumerate(entries, start=1):
        w = f"{where} entry {i}"
        if not isinstance(entry, dict):
            raise ContentError(f"{w}: must be a mapping")
        bands.append(
            Band(
                name=require(entry, "name", str, w),
                below=require(entry, "below", float, w, default=None),
                follow_up=require(entry, "follow_up", bool, w, default=False),
            )
        )
    return tuple(bands)


def _instrument(entry: dict, scales: dict, where_file: str) -> Instrument:
    inst_id = require(entry, "id", str, f"{where_file}, an instrument")
    where = f"{where_file}, instrument {inst_id!r}"
    kind = require(entry, "kind", str, where)
    if kind not in ("items", "picture"):
        raise ContentError(
            f"{where}: field 'kind' must be one of ['items', 'picture']; not {kind!r}"
        )
    reliability = None
    if "reliability" in entry:
        rel = require(entry, "reliability", dict, where)
        rw = f"{where}, reliability"
        method = require(rel, "method", str, rw)
        if method not in ("sample", "published_r", "published_alpha"):
            raise ContentError(
                f"{rw}: field 'method' must be one of ['sample', 'published_r', "
                f"'published_alpha']; not {method!r}"
            )
        r = require(rel, "r", float, rw, default=None)
        if method != "sample" and (r is None or not 0 < r < 1):
            raise ContentError(f"{rw}: field 'r' must be a number between 0 and 1; not {r!r}")
        default_kind = "test-retest" if method == "published_r" else "internal consistency"
        kind_of = require(rel, "kind", str, rw, default=default_kind)
        if kind_of not in ("internal consistency", "test-retest"):
            raise ContentError(
                f"{rw}: field 'kind' must be one of ['internal consistency', 'test-retest']; "
                f"not {kind_of!r}"
            )
        sd = require(rel, "sd", float, rw, default=None)
        if sd is not None and not sd > 0:
            raise ContentError(f"{rw}: field 'sd' must be a number above 0; not {sd!r}")
        sd_source = require(rel, "sd_source", str, rw, default="")
        if sd is not None and not sd_source.strip():
            raise ContentError(f"{rw}: a published 'sd' needs its 'sd_source' (where it is from)")
        reliability = Reliability(
            method=method,
            source=require(rel, "source", str, rw),
            r=r,
            kind=kind_of,
            sd=sd,
            sd_source=sd_source,
        )
    common = dict(
        id=inst_id,
        name=require(entry, "name", str, where),
        kind=kind,
        intro=require(entry, "intro", str, where, default=""),
        source=require(entry, "source", str, where, default=""),
        optional=require(entry, "optional", bool, where, default=False),
        reliability=reliability,
    )
    if kind == "picture":
        lo, hi = require(entry, "min", int, where), require(entry, "max", int, where)
        if lo >= hi:
            raise ContentError(f"{where}: field 'min' must be below 'max'; not {lo}..{hi}")
        return Instrument(min=lo, max=hi, **common)

    scale = None
    if "scale" in entry:
        scale_id = require(entry, "scale", str, where)
        if scale_id not in scales:
            raise ContentError(
                f"{where}: field 'scale' must be one of {sorted(scales)}; not {scale_id!r}"
            )
        scale = scales[scale_id]
    scoring = require(entry, "scoring", str, where, default="mean")
    if scoring not in ("mean", "sum"):
        raise ContentError(
            f"{where}: field 'scoring' must be one of ['mean', 'sum']; not {scoring!r}"
        )
    subscales = []
    seen: set[str] = set()
    seen_subscales: set[str] = set()
    raw_subscales = require(entry, "subscales", list, where)
    if not raw_subscales:
        raise ContentError(f"{where}: field 'subscales' must list at least one subscale")
    for sub in raw_subscales:
        if not isinstance(sub, dict):
            raise ContentError(f"{where}: each subscale must be a mapping; not {sub!r}")
        sub_id = require(sub, "id", str, f"{where}, a subscale")
        sw = f"{where}, subscale {sub_id!r}"
        if sub_id in seen_subscales:
            raise ContentError(
                f"{sw}: field 'id' must be unique within an instrument (two themes with one "
                "id would be scored as one)"
            )
        seen_subscales.add(sub_id)
        items = []
        for it in require(sub, "items", list, sw):
            if not isinstance(it, dict):
                raise ContentError(f"{sw}: each item must be a mapping; not {it!r}")
            item_id = require(it, "id", str, f"{sw}, an item")
            iw = f"{sw}, item {item_id!r}"
            if item_id in seen:
                raise ContentError(f"{iw}: item ids must be unique within an instrument")
            seen.add(item_id)
            lo = require(it, "min", int, iw, default=scale["min"] if scale else None)
            hi = require(it, "max", int, iw, default=scale["max"] if scale else None)
            if lo is None or hi is None:
                raise ContentError(f"{iw}: needs 'min' and 'max' (or a 'scale' on its instrument)")
            if lo >= hi:
                raise ContentError(f"{iw}: field 'min' must be below 'max'; not {lo}..{hi}")
            text = require(it, "text", str, iw, default=None)
            items.append(
                Item(
                    item_id,
                    text.strip() if text else None,
                    lo,
                    hi,
                    require(it, "reversed", bool, iw, default=False),
                )
            )
        if not items:
            raise ContentError(f"{sw}: field 'items' must list at least one item")
        subscales.append(
            Subscale(
                id=sub_id,
                name=require(sub, "name", str, sw),
                items=tuple(items),
                overall=require(sub, "overall", bool, sw, default=False),
                bands=_bands(sub.get("bands"), f"{sw}, bands"),
            )
        )
    total = require(entry, "total", dict, where, default={})
    min_answered = require(entry, "min_answered", float, where, default=0.5)
    if not 0 < min_answered <= 1:
        raise ContentError(f"{where}: field 'min_answered' must be in (0, 1]; not {min_answered}")
    if sum(sub.overall for sub in subscales) > 1:
        raise ContentError(f"{where}: field 'overall' may be true on one subscale only")
    return Instrument(
        scoring=scoring,
        subscales=tuple(subscales),
        min_answered=min_answered,
        positive_from=scale["positive_from"] if scale else None,
        anchors=scale["anchors"] if scale else {},
        total_min=require(total, "min", float, f"{where}, total", default=None),
        total_max=require(total, "max", float, f"{where}, total", default=None),
        cutoffs=_bands(total.get("cutoffs"), f"{where}, total cutoffs"),
        **common,
    )


def _scale(scale: Any, where: str) -> dict[str, Any]:
    """An answer scale checked whole: min below max, positive_from and anchors inside it."""
    if not isinstance(scale, dict):
        raise ContentError(f"{where}: must be a mapping")
    lo, hi = require(scale, "min", int, where), require(scale, "max", int, where)
    if lo >= hi:
        raise ContentError(f"{where}: field 'min' must be below 'max'; not {lo}..{hi}")
    positive_from = require(scale, "positive_from", (int, float), where, default=None)
    if isinstance(positive_from, bool) or (
        positive_from is not None and not lo <= positive_from <= hi
    ):
        raise ContentError(
            f"{where}: field 'positive_from' must be a number from {lo} to {hi}; "
            f"not {positive_from!r}"
        )
    raw = require(scale, "anchors", dict, where, default={})
    anchors: dict[int, str] = {}
    for key, text in raw.items():
        if isinstance(key, bool) or not isinstance(key, int) or not lo <= key <= hi:
            raise ContentError(
                f"{where}, anchors: each key must be a whole number from {lo} to {hi} "
                f"(write '{lo}: Not true for us'); not {key!r}"
            )
        if not isinstance(text, str) or not text.strip():
            raise ContentError(f"{where}, anchor {key}: must be words; not {text!r}")
        anchors[key] = text.strip()
    return {"min": lo, "max": hi, "positive_from": positive_from, "anchors": anchors}


def load_checkin(
    path: Path | str | None = None, language: str = DEFAULT_LANGUAGE
) -> CheckinContent:
    """Load and validate the check-in content (instruments and flags), words in ``language``.

    Ids, scales and scoring are the English file's whatever the language
    (:func:`read_content`).

    >>> content = load_checkin()
    >>> [inst.id for inst in content.instruments]
    ['checkin', 'ios', 'csi4']
    >>> content.instrument("csi4").ready   # the authors' wording is not shipped
    False
    >>> load_checkin(language="es").flags[0].text[:9]
    'Mi pareja'
    """
    path = Path(path) if path else CONTENT_DIR / "checkin.yaml"
    return _load_checkin_cached(
        path.resolve(), path.stat().st_mtime_ns if path.exists() else 0, language
    )


@lru_cache(maxsize=8)
def _load_checkin_cached(
    path: Path, _mtime: int, language: str = DEFAULT_LANGUAGE
) -> CheckinContent:
    data = read_content(path, language)
    where_file = path.name
    scales = require(data, "scales", dict, where_file, default={})
    scales = {
        str(scale_id): _scale(scale, f"{where_file}, scale {scale_id!r}")
        for scale_id, scale in scales.items()
    }
    instruments = []
    for entry in require(data, "instruments", list, where_file):
        if not isinstance(entry, dict):
            raise ContentError(f"{where_file}: each instrument must be a mapping; not {entry!r}")
        instruments.append(_instrument(entry, scales, where_file))
    ids = [inst.id for inst in instruments]
    if len(set(ids)) != len(ids):
        raise ContentError(f"{where_file}: instrument ids must be unique; got {ids}")
    flags = []
    for flag_id, flag in require(data, "flags", dict, where_file, default={}).items():
        fw = f"{where_file}, flag {flag_id!r}"
        if not isinstance(flag, dict):
            raise ContentError(f"{fw}: must be a mapping")
        flags.append(
            Flag(flag_id, require(flag, "text", str, fw), require(flag, "help", str, fw, ""))
        )
    return CheckinContent(tuple(instruments), tuple(flags), path, language)
