"""Content in more than one language: same ids, same scoring, words only in translations."""

from __future__ import annotations

import shutil

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_kit import content as content_mod
from workshop_kit.appreciation import load_appreciation
from workshop_kit.content import (
    CONTENT_DIR,
    check_language,
    content_languages,
    load_checkin,
    read_content,
    read_yaml,
    word_paths,
)
from workshop_kit.errors import ContentError, InputError
from workshop_kit.exercises.content import load_exercises
from workshop_kit.values import load_deck

FILES = ["checkin.yaml", "values.yaml", "appreciation.yaml", "exercises.yaml"]
LANGUAGES = [lang for lang in content_languages() if lang != "en"]


def test_spanish_is_a_content_language():
    assert "es" in LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", FILES)
def test_every_english_word_has_a_translation_and_nothing_more(language, name):
    english = word_paths(read_yaml(CONTENT_DIR / name))
    translated = word_paths(read_yaml(CONTENT_DIR / language / name))
    assert sorted(english - translated) == [], f"{language}/{name} lacks these words"
    assert sorted(translated - english) == [], f"{language}/{name} has words English lacks"


def _no_words(data):
    """``data`` with every word replaced by a marker: what must not change across languages."""
    if isinstance(data, dict):
        return {
            k: (v if not content_mod._words_key(k, v) else _no_words(v)) for k, v in data.items()
        }
    if isinstance(data, list):
        return [_no_words(x) for x in data]
    return "<words>" if isinstance(data, str) else data


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", FILES)
def test_ids_numbers_and_scoring_are_the_english_ones(language, name):
    english = read_content(CONTENT_DIR / name)
    translated = read_content(CONTENT_DIR / name, language)
    assert _no_words(translated) == _no_words(english)
    assert translated != english  # and the words did change


@pytest.mark.parametrize("language", LANGUAGES)
def test_checkin_items_score_the_same_in_every_language(language):
    en, other = load_checkin(), load_checkin(language=language)
    assert other.language == language
    for a, b in zip(en.instruments, other.instruments, strict=True):
        assert (a.id, a.kind, a.scoring, a.min_answered, a.positive_from) == (
            b.id,
            b.kind,
            b.scoring,
            b.min_answered,
            b.positive_from,
        )
        assert [(i.id, i.min, i.max, i.reversed) for i in a.items] == [
            (i.id, i.min, i.max, i.reversed) for i in b.items
        ]
        assert [(s.id, [(x.below, x.follow_up) for x in s.bands]) for s in a.subscales] == [
            (s.id, [(x.below, x.follow_up) for x in s.bands]) for s in b.subscales
        ]
        assert a.ready == b.ready  # the CSI-4 stays without wording in every language
    assert set(en.instrument("checkin").anchors) == set(other.instrument("checkin").anchors)


def test_other_loaders_take_a_language():
    assert load_deck(language="es").cards[0].name == "Cariño"
    assert [c.id for c in load_deck(language="es").cards] == [c.id for c in load_deck().cards]
    assert load_appreciation(language="es").kinds[0].id == "thanks"
    assert load_exercises(language="es").rituals.ritual("walk").name == "Una caminata juntos"


@pytest.fixture
def content_copy(tmp_path):
    shutil.copy(CONTENT_DIR / "checkin.yaml", tmp_path / "checkin.yaml")
    (tmp_path / "es").mkdir()
    return tmp_path


def _write(folder, data):
    (folder / "es" / "checkin.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))


@pytest.mark.parametrize(
    "words, says",
    [
        ({"instruments": [{"id": "nope", "name": "x"}]}, "id 'nope' must be one of"),
        ({"instruments": [{"id": "checkin", "scoring": "sum"}]}, "'scoring' is not words"),
        ({"scales": {"agree5": {"min": 0}}}, "not words"),
        ({"extra": "x"}, "'extra' is not in the English file"),
        (
            {
                "instruments": [
                    {
                        "id": "csi4",
                        "subscales": [
                            {"id": "csi4_total", "items": [{"id": "csi4_1", "text": "words"}]}
                        ],
                    }
                ]
            },
            "'text' is not in the English file",
        ),
        ({"flags": {"consent": {"text": ""}}}, "must be words"),
    ],
)
def test_a_translation_carries_words_only(content_copy, words, says):
    _write(content_copy, {"schema_version": 1, **words})
    with pytest.raises(ContentError, match=says):
        load_checkin(content_copy / "checkin.yaml", language="es")


def test_a_missing_translation_names_the_file(tmp_path):
    shutil.copy(CONTENT_DIR / "values.yaml", tmp_path / "values.yaml")
    with pytest.raises(ContentError, match=r"no words in 'es' for values\.yaml"):
        load_deck(tmp_path / "values.yaml", language="es")


def test_unknown_language_is_refused():
    with pytest.raises(InputError, match="language must be one of"):
        check_language("xx")


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=40).filter(lambda t: t.strip()))
def test_any_words_go_in_and_nothing_else_moves(text):
    base = read_yaml(CONTENT_DIR / "checkin.yaml")
    merged = content_mod._overlay(base, {"flags": {"consent": {"text": text}}}, "t")
    assert merged["flags"]["consent"]["text"] == text
    assert _no_words(merged) == _no_words(base)
