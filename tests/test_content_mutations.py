"""A facilitator's YAML edit is refused at load with a ContentError, or loads whole.

Hypothesis mutates the shipped content files (a field replaced by a value of another type,
a list entry duplicated, a key dropped) and loads the result: the only allowed outcomes
are a ContentError or a content object that the kit can use. Any other exception is a
later crash waiting for the workshop day.
"""

from __future__ import annotations

import copy

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop_kit.appreciation import load_appreciation
from workshop_kit.content import CONTENT_DIR, load_checkin
from workshop_kit.errors import ContentError
from workshop_kit.exercises.content import load_exercises
from workshop_kit.values import load_deck

LOADERS = {
    "checkin.yaml": load_checkin,
    "values.yaml": load_deck,
    "appreciation.yaml": load_appreciation,
    "exercises.yaml": load_exercises,
}

ODD_VALUES = [
    "four",
    "",
    [],
    {},
    None,
    -1,
    0,
    1.5,
    True,
    ["Not true", "Very true"],
    {"x": 1},
    [{"id": "x"}],
    10**6,
]


def _paths(node, prefix=()):
    """Every place in the tree: (path, node) pairs, the root excluded."""
    if isinstance(node, dict):
        items = node.items()
    elif isinstance(node, list):
        items = enumerate(node)
    else:
        return
    for key, child in items:
        yield (*prefix, key)
        yield from _paths(child, (*prefix, key))


def _parent(data, path):
    for key in path[:-1]:
        data = data[key]
    return data


def _mutate(data, path, how, value):
    data = copy.deepcopy(data)
    parent = _parent(data, path)
    key = path[-1]
    if how == "replace":
        parent[key] = value
    elif how == "drop":
        del parent[key]
    elif how == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[key]))
    elif how == "duplicate":
        parent[key] = copy.deepcopy(parent[key])
    return data


def _use(content):
    """Touch what the kit touches after loading, so a late crash shows here."""
    if hasattr(content, "instruments"):
        for inst in content.instruments:
            lo, hi = inst.value_range
            assert lo < hi
            if inst.positive_from is not None:
                assert lo <= inst.positive_from <= hi
            for item in inst.items:
                assert item.min <= item.score(item.min) <= item.max
            assert all(lo <= key <= hi and text for key, text in inst.anchors.items())


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_a_mutated_content_file_is_refused_or_loads_whole(name, tmp_path_factory):
    original = yaml.safe_load((CONTENT_DIR / name).read_text(encoding="utf-8"))
    paths = [p for p in _paths(original) if p[0] != "schema_version"]
    folder = tmp_path_factory.mktemp("content")
    counter = iter(range(10**9))

    @settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        path=st.sampled_from(paths),
        how=st.sampled_from(["replace", "replace", "replace", "drop", "duplicate"]),
        value=st.sampled_from(ODD_VALUES),
    )
    def check(path, how, value):
        mutated = _mutate(original, path, how, value)
        target = folder / f"{next(counter)}-{name}"
        target.write_text(yaml.safe_dump(mutated, allow_unicode=True), encoding="utf-8")
        try:
            content = LOADERS[name](target)
        except ContentError as exc:
            assert target.name in str(exc) or name in str(exc) or str(target) in str(exc)
            return
        _use(content)

    check()


def _checkin_with(tmp_path, change):
    data = yaml.safe_load((CONTENT_DIR / "checkin.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "checkin.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _checkin_instrument(data):
    return next(i for i in data["instruments"] if i["id"] == "checkin")


def _duplicate_theme(data):
    subs = _checkin_instrument(data)["subscales"]
    twin = copy.deepcopy(subs[1])
    for item in twin["items"]:
        item["id"] += "_x"  # new items, same theme id
    twin["id"] = subs[0]["id"]
    subs.append(twin)


@pytest.mark.parametrize(
    "change, needle",
    [
        (_duplicate_theme, "subscale 'quality_time': field 'id' must be unique"),
        (
            lambda d: d["scales"]["agree5"].update(positive_from="four"),
            "scale 'agree5': field 'positive_from' must be int or float; not 'four'",
        ),
        (
            lambda d: d["scales"]["agree5"].update(positive_from=9),
            "field 'positive_from' must be a number from 1 to 5; not 9",
        ),
        (
            lambda d: _checkin_instrument(d).update(subscales=[]),
            "instrument 'checkin': field 'subscales' must list at least one subscale",
        ),
        (
            lambda d: d["scales"]["agree5"].update(anchors=["Not true", "Rarely", "Sometimes"]),
            "scale 'agree5': field 'anchors' must be dict; not ['Not true'",
        ),
        (
            lambda d: d["scales"]["agree5"]["anchors"].update({7: "Beyond"}),
            "scale 'agree5', anchors: each key must be a whole number from 1 to 5",
        ),
        (
            lambda d: d["scales"]["agree5"].update(min=5, max=1),
            "scale 'agree5': field 'min' must be below 'max'",
        ),
    ],
    ids=[
        "duplicate-theme",
        "positive-from-words",
        "positive-from-outside",
        "empty-subscales",
        "anchors-list",
        "anchor-outside",
        "min-above-max",
    ],
)
def test_a_facilitators_checkin_edit_is_refused_naming_file_entry_and_field(
    tmp_path, change, needle
):
    path = _checkin_with(tmp_path, change)
    with pytest.raises(ContentError) as err:
        load_checkin(path)
    assert "checkin.yaml" in str(err.value)
    assert needle in str(err.value)
