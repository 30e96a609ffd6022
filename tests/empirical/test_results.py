"""Result files: configuration hashes, atomic writes, the point store, the schema check."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from tradeoff.empirical.results import (
    SCHEMA,
    PointStore,
    atomic_write_json,
    atomic_write_text,
    config_hash,
    find_results,
    read_json,
    to_jsonable,
    validate_result,
)


def test_config_hash_ignores_key_order_and_container_type():
    a = {"eps": 0.5, "grid": [1, 2], "nested": {"x": 1, "y": (2, 3)}}
    b = {"nested": {"y": [2, 3], "x": 1}, "grid": (1, 2), "eps": 0.5}
    assert config_hash(a) == config_hash(b)
    assert len(config_hash(a)) == 16


@pytest.mark.parametrize("change", [{"eps": 0.25}, {"grid": [1, 3]}, {"new": None}])
def test_config_hash_changes_with_any_value(change):
    base = {"eps": 0.5, "grid": [1, 2]}
    assert config_hash(base) != config_hash({**base, **change})


def test_config_hash_of_numpy_values_equals_python_values():
    assert config_hash({"a": np.float64(0.5), "b": np.int64(3)}) == config_hash({"a": 0.5,
                                                                                  "b": 3})


def test_config_hash_rejects_bad_input():
    with pytest.raises(TypeError, match="config must be a mapping"):
        config_hash([1, 2])
    with pytest.raises(ValueError, match="length"):
        config_hash({}, length=4)


def test_to_jsonable_keeps_files_strict_json():
    out = to_jsonable({"nan": float("nan"), "inf": np.inf, "arr": np.arange(3),
                       "flag": np.bool_(True)})
    assert out == {"nan": "nan", "inf": "inf", "arr": [0, 1, 2], "flag": True}
    json.dumps(out, allow_nan=False)


def test_atomic_write_replaces_whole_file_and_leaves_no_temporaries(tmp_path):
    path = tmp_path / "sub" / "r.json"
    atomic_write_json(path, {"a": 1})
    atomic_write_json(path, {"b": [1.5, math.inf]})
    assert read_json(path) == {"b": [1.5, "inf"]}
    assert [p.name for p in path.parent.iterdir()] == ["r.json"]


def test_failed_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "r.json"
    atomic_write_json(path, {"old": True})
    with pytest.raises(TypeError):
        atomic_write_json(path, {"bad": object()})
    assert read_json(path) == {"old": True}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_failed_write_mid_stream_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "r.txt"
    atomic_write_text(path, "old")

    def boom(fd):
        raise OSError("disk full")

    monkeypatch.setattr("os.fsync", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_text(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.txt"]


def test_point_store_round_trip_and_rejects_foreign_files(tmp_path):
    store = PointStore(tmp_path)
    point = {"eps": 0.1, "seed": 0}
    key = config_hash(point)
    assert store.load(key) is None
    store.save(key, point, {"acc": 0.9}, wall_time_s=1.0)
    rec = store.load(key)
    assert rec["point"] == point and rec["metrics"] == {"acc": 0.9} and rec["key"] == key
    # A truncated file (say, written by a tool without atomic writes) counts as not done.
    store.point_path(key).write_text('{"schema": ')
    assert store.load(key) is None
    # A file under the wrong key counts as not done.
    other = config_hash({"eps": 0.2})
    store.save(other, point, {})
    (store.point_dir(key)).mkdir(parents=True, exist_ok=True)
    store.point_path(key).write_text(store.point_path(other).read_text())
    assert store.load(key) is None


def _result(**kw):
    base = {"schema": SCHEMA, "experiment": "syn", "claims": [
        {"id": "E-SYN", "confirmed": True, "statement": "s", "numbers": {"x": 1},
         "criterion": "c"}], "config": {}, "config_hash": "0" * 16, "scale": "micro",
        "dataset": "synthetic", "device": "cpu", "seeds": [0],
        "versions": {"torch": "2", "numpy": "2"}, "wall_time_s": 1.0, "figure": "f.png",
        "points": []}
    base.update(kw)
    return base


def test_validate_result_accepts_the_schema_and_names_what_is_wrong():
    validate_result(_result())
    bad = _result()
    del bad["versions"]
    with pytest.raises(ValueError, match="versions"):
        validate_result(bad)
    with pytest.raises(ValueError, match="confirmed"):
        validate_result(_result(claims=[{"id": "E", "confirmed": "yes", "statement": "",
                                         "numbers": {}, "criterion": ""}]))
    with pytest.raises(ValueError, match="non-empty"):
        validate_result(_result(claims=[]))
    with pytest.raises(ValueError, match="schema"):
        validate_result(_result(schema="other/1"))


def test_find_results_skips_points_and_other_json(tmp_path):
    atomic_write_json(tmp_path / "a.json", _result())
    atomic_write_json(tmp_path / "nested" / "b.json", _result())
    atomic_write_json(tmp_path / "points" / "k" / "point.json", {"schema": SCHEMA})
    atomic_write_json(tmp_path / "other.json", {"hello": 1})
    (tmp_path / "broken.json").write_text("{")
    assert [p.name for p in find_results(tmp_path)] == ["a.json", "b.json"]


def test_run_points_skips_done_points_and_computes_duplicates_once(tmp_path, monkeypatch):
    from tradeoff.empirical import grid

    calls = []

    def fn(point):
        calls.append(point["i"])
        return {"square": point["i"] ** 2}

    store = PointStore(tmp_path)
    points = [{"i": 1}, {"i": 2}, {"i": 1}]
    first = grid.run_points(points, fn, store)
    assert calls == [1, 2]
    assert [r["metrics"]["square"] for r in first.records] == [1, 4, 1]
    assert len(first.run) == 2 and not first.reused
    # Without ray, workers > 1 falls back to sequential execution and says so.
    monkeypatch.setattr(grid, "ray_available", lambda: False)
    messages = []
    second = grid.run_points([*points, {"i": 3}], fn, store, workers=4, log=messages.append)
    assert calls == [1, 2, 3]
    assert len(second.reused) == 2 and len(second.run) == 1
    assert any("not importable" in m for m in messages)
    with pytest.raises(ValueError, match="workers"):
        grid.run_points(points, fn, store, workers=0)
