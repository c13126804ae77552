"""Check-in content: our own themes and wording, the IOS, the CSI-4 facts, strict validation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from workshop_kit.content import CONTENT_DIR, load_checkin
from workshop_kit.errors import ContentError

# One subscale per theme of DESIGN.md, plus overall closeness.
THEMES = {
    "quality_time",
    "vulnerability",
    "communication",
    "trust_intimacy",
    "empathy",
    "gratitude",
    "emotional_connection",
    "shared_rituals",
    "shared_values",
    "conflict",
    "hard_times",
    "seeking_help",
}


def test_checkin_has_a_subscale_per_theme_with_two_to_four_items():
    checkin = load_checkin().instrument("checkin")
    ids = {sub.id for sub in checkin.subscales}
    assert ids == THEMES | {"overall_closeness"}
    for sub in checkin.subscales:
        assert 2 <= len(sub.items) <= 4, sub.id
        for item in sub.items:
            assert (item.min, item.max) == (1, 5)
            assert item.text and item.text.endswith("."), item.id
    overall = next(s for s in checkin.subscales if s.overall)
    assert overall.bands[0].follow_up and overall.bands[0].below == 2.5
    assert checkin.anchors[1] and checkin.anchors[5]


def test_ios_is_a_seven_point_picture_scale_with_its_source():
    ios = load_checkin().instrument("ios")
    assert (ios.kind, ios.min, ios.max) == ("picture", 1, 7)
    assert "Aron" in ios.source and "1992" in ios.source
    assert ios.reliability.r == pytest.approx(0.83)


def test_csi4_ships_as_facts_without_its_authors_wording():
    csi4 = load_checkin().instrument("csi4")
    assert [(i.id, i.min, i.max) for i in csi4.items] == [
        ("csi4_1", 0, 6),
        ("csi4_2", 0, 5),
        ("csi4_3", 0, 5),
        ("csi4_4", 0, 5),
    ]
    assert (csi4.total_min, csi4.total_max) == (0, 21)
    assert csi4.cutoffs[0].below == 13.5 and csi4.cutoffs[0].follow_up
    assert csi4.scoring == "sum"
    assert all(item.text is None for item in csi4.items)
    assert not csi4.ready
    assert csi4 not in load_checkin().shown_instruments
    assert "Funk" in csi4.source and "2007" in csi4.source


def test_csi4_is_shown_once_a_facilitator_adds_every_item_text(tmp_path):
    data = yaml.safe_load((CONTENT_DIR / "checkin.yaml").read_text())
    csi4 = next(i for i in data["instruments"] if i["id"] == "csi4")
    for n, item in enumerate(csi4["subscales"][0]["items"], start=1):
        item["text"] = f"Programme's licensed wording {n}"
    path = tmp_path / "checkin.yaml"
    path.write_text(yaml.safe_dump(data))
    content = load_checkin(path)
    assert content.instrument("csi4").ready
    assert content.instrument("csi4") in content.shown_instruments


def _broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load((CONTENT_DIR / "checkin.yaml").read_text())
    change(data)
    path = tmp_path / "checkin.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _checkin(data):
    return data["instruments"][0]


BAD_CONTENT = [
    ("schema", lambda d: d.update(schema_version=2), r"checkin.yaml: schema_version must be 1"),
    ("no instruments", lambda d: d.pop("instruments"), r"field 'instruments' is missing"),
    (
        "item without id",
        lambda d: _checkin(d)["subscales"][0]["items"][0].pop("id"),
        r"subscale 'quality_time', an item: field 'id' is missing",
    ),
    (
        "duplicate item",
        lambda d: _checkin(d)["subscales"][1]["items"][0].update(id="qt1"),
        r"item 'qt1': item ids must be unique",
    ),
    (
        "reversed not bool",
        lambda d: _checkin(d)["subscales"][0]["items"][0].update(reversed="yes"),
        r"item 'qt1': field 'reversed' must be bool; not 'yes'",
    ),
    (
        "bad scale",
        lambda d: _checkin(d).update(scale="agree7"),
        r"instrument 'checkin': field 'scale' must be one of \['agree5'\]; not 'agree7'",
    ),
    (
        "bad kind",
        lambda d: _checkin(d).update(kind="slider"),
        r"field 'kind' must be one of \['items', 'picture'\]; not 'slider'",
    ),
    (
        "bad scoring",
        lambda d: _checkin(d).update(scoring="median"),
        r"field 'scoring' must be one of \['mean', 'sum'\]; not 'median'",
    ),
    (
        "min above max",
        lambda d: d["instruments"][1].update(min=9),
        r"instrument 'ios': field 'min' must be below 'max'",
    ),
    (
        "bad reliability",
        lambda d: d["instruments"][1]["reliability"].update(r=1.7),
        r"instrument 'ios', reliability: field 'r' must be a number between 0 and 1",
    ),
    (
        "empty subscale",
        lambda d: _checkin(d)["subscales"][0].update(items=[]),
        r"subscale 'quality_time': field 'items' must list at least one item",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"), [c[1:] for c in BAD_CONTENT], ids=[c[0] for c in BAD_CONTENT]
)
def test_malformed_content_names_the_file_the_entry_and_the_field(tmp_path, change, message):
    with pytest.raises(ContentError, match=message):
        load_checkin(_broken(tmp_path, change))


def test_content_that_is_not_yaml_names_the_line(tmp_path):
    path = tmp_path / "checkin.yaml"
    path.write_text("schema_version: 1\ninstruments: [\n  - id: x\n")
    with pytest.raises(ContentError, match=r"checkin.yaml: line \d+, column \d+ is not valid YAML"):
        load_checkin(path)
