"""Every z-sequence says where it came from, built the same way by every maker."""

import ast
import importlib.util
import pkgutil

import pytest

import livelatent
from livelatent.common.provenance import model_settings, parent_of, provenance


def test_each_new_z_sequence_gets_its_own_id_unless_it_has_one():
    a, b = provenance("samples", seed=3), provenance("samples", seed=3)
    assert a["id"] != b["id"] and len(a["id"]) == 32
    assert provenance("performance", id="take-id")["id"] == "take-id"
    assert a == {"id": a["id"], "made_by": "samples", "parents": [], "seed": 3}


def test_a_render_inherits_its_sources_fields_but_not_what_is_the_sources_own():
    source = {"id": "reel", "created": "2026", "interrupted": True, "made_by": "journey", "parents": ["take"],
              "picked_frames": [3], "model": "default", "size": [64, 64]}
    meta = provenance("render", parents=[parent_of(source, "reel.npy")], model={"model": "dcgan", "size": [128, 128]},
                      inherited=source)
    assert meta["made_by"] == "render" and meta["parents"] == ["reel"] and meta["id"] != "reel"
    assert meta["picked_frames"] == [3] and meta["model"] == "dcgan" and meta["size"] == [128, 128]
    assert "created" not in meta and "interrupted" not in meta


def test_a_source_without_an_id_is_named_by_its_file():
    assert parent_of({}, "old/reel.npy") == "old/reel.npy"


def test_a_replay_keeps_how_the_take_was_drawn():
    take = {"id": "t", "model": "default", "size": [64, 64], "seed": 7, "status": "complete", "fps": "30"}
    assert model_settings(take) == {"model": "default", "size": [64, 64], "seed": 7}


def test_an_unknown_maker_is_refused():
    with pytest.raises(ValueError, match="made_by 'guess'"):
        provenance("guess")


def sidecar_keys_spelled_out(name: str) -> list[int]:
    """Lines where a module writes made_by itself (a dict key or a keyword), not through provenance()."""
    tree = ast.parse(open(importlib.util.find_spec(name).origin).read())
    keys = [k for node in ast.walk(tree) if isinstance(node, ast.Dict) for k in node.keys]
    lines = [k.lineno for k in keys if isinstance(k, ast.Constant) and k.value == "made_by"]
    return lines + [node.value.lineno for node in ast.walk(tree) if isinstance(node, ast.keyword) and node.arg == "made_by"]


# the modules that name the field without building it: its home, and the table that checks it when read
NOT_BUILDERS = {"livelatent.common.provenance", "livelatent.common.zseq"}


@pytest.mark.parametrize("name", sorted(m.name for m in pkgutil.walk_packages(livelatent.__path__, "livelatent.")
                                        if m.name not in NOT_BUILDERS), ids=str)
def test_provenance_is_built_in_one_place(name):
    assert not sidecar_keys_spelled_out(name), f"{name} builds provenance itself; use common/provenance.py"
