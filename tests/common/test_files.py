"""Every file livelatent writes is written whole or not at all, through common/files.py.

A writer interrupted half-way (a full disk, an error, a kill) leaves the old file as it was and
nothing half-written beside it; and no module writes a file any other way, except the writers
named below that stream into their file as the show goes, each with its reason.
"""

import ast
import importlib.util
import pkgutil

import numpy as np
import pytest

import livelatent
from livelatent.common import zseq
from livelatent.common.files import atomic_file, atomic_path, atomic_paths, move_into_place, write_json
from livelatent.common.latent import sample

# module -> why it writes into its file in place instead of renaming a whole file into place
STREAMING = {
    "livelatent.live.eventlog": "the session's event log: lines appended as the show goes",
    "livelatent.adapters.take_writer": "a take being recorded: rows and events appended, cut by flush()",
    "livelatent.adapters.video": "VideoWriter encodes into the path its caller names (a temporary one "
                                 "from atomic_path when the video must be whole)",
    "livelatent.adapters.image_sequence": "_write_with_ffmpeg writes the temporary path ImageSequence.write holds",
    "livelatent.live.recorder": "the recording proxy: encoded as the take goes",
    "livelatent.offline.render": "a render's video: Ctrl-C keeps the frames done as a valid video",
    "livelatent.live.outputs.v4l2": "a video device, not a file: each frame is one write to /dev/videoN",
}
WRITING_CALLS = {"os.replace", "os.rename", "os.fsync", "os.truncate", "os.write", "os.pwrite",
                 "np.save", "np.savez", "np.savez_compressed", "json.dump", "VideoWriter"}
WRITING_METHODS = {"write_text", "write_bytes"}


def folder_names(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_file_written_again_is_replaced_whole(tmp_path):
    path = tmp_path / "meta.json"
    write_json(path, {"take": 1})
    write_json(path, {"take": 2})
    assert path.read_text() == '{\n  "take": 2\n}\n'
    assert folder_names(tmp_path) == ["meta.json"]


def test_a_writer_that_fails_half_way_leaves_the_old_file_and_nothing_beside_it(tmp_path):
    path = tmp_path / "z.npy"
    np.save(path, np.zeros(3))
    with pytest.raises(OSError), atomic_file(path) as f:
        f.write(b"half a file")
        raise OSError("no space left on device")
    assert np.array_equal(np.load(path), np.zeros(3))
    assert folder_names(tmp_path) == ["z.npy"]


def test_a_pair_is_renamed_only_when_both_are_written(tmp_path):
    seq = zseq.ZSequence(sample(4, 8, 1), 30, {"made_by": "other"})
    zseq.save(seq, tmp_path / "reel")
    with pytest.raises(KeyboardInterrupt), atomic_paths(tmp_path / "reel.npy", tmp_path / "reel.json") as (a, b):
        np.save(a, np.ones((2, 8), np.float32))
        raise KeyboardInterrupt  # before the sidecar was written
    assert np.array_equal(zseq.load(tmp_path / "reel").z, seq.z)
    assert folder_names(tmp_path) == ["reel.json", "reel.npy"]


def test_a_library_writes_by_name_under_a_hidden_name_with_the_suffix_kept(tmp_path):
    with atomic_path(tmp_path / "edit.mp4") as tmp:
        assert tmp.parent == tmp_path and tmp.name.startswith(".") and tmp.suffix == ".mp4"
        tmp.write_bytes(b"video")
    assert (tmp_path / "edit.mp4").read_bytes() == b"video"


def test_a_finished_file_moves_into_place(tmp_path):
    (tmp_path / "take.recording.mp4").write_bytes(b"proxy")
    move_into_place(tmp_path / "take.recording.mp4", tmp_path / "take.mp4")
    assert folder_names(tmp_path) == ["take.mp4"]


# ---- every writer goes through common/files.py ----

def modules():
    for info in pkgutil.walk_packages(livelatent.__path__, "livelatent."):
        if info.name != "livelatent.common.files":
            yield info.name


def call_name(node: ast.Call) -> str:
    f = node.func
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
        return f"{f.value.id}.{f.attr}"
    return f.id if isinstance(f, ast.Name) else ""


def written_name(node: ast.Call) -> str | None:
    """The plain name a writing call writes to (its first argument, or the path it is a method
    of), str(...) unwrapped; None when it is no plain name."""
    target = node.func.value if isinstance(node.func, ast.Attribute) and node.func.attr in WRITING_METHODS \
        else (node.args[0] if node.args else None)
    if isinstance(target, ast.Call) and call_name(target) == "str" and target.args:
        target = target.args[0]
    return target.id if isinstance(target, ast.Name) else None


def opens_for_writing(node: ast.Call) -> bool:
    mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
    return call_name(node) in ("open", "av.open") and isinstance(mode, ast.Constant) \
        and isinstance(mode.value, str) and any(c in mode.value for c in "wax+")


def atomic_names(tree) -> set[str]:
    """Names bound by `with atomic_path(...) as tmp` and its kin: written to, then renamed in."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.withitem) and isinstance(node.context_expr, ast.Call) \
                and call_name(node.context_expr).startswith("atomic_") and node.optional_vars is not None:
            names |= {n.id for n in ast.walk(node.optional_vars) if isinstance(n, ast.Name)}
    return names


def raw_writes(name: str) -> list[str]:
    source = open(importlib.util.find_spec(name).origin).read()
    tree = ast.parse(source)
    safe = atomic_names(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        writes = call_name(node) in WRITING_CALLS or opens_for_writing(node) or (
            isinstance(node.func, ast.Attribute) and node.func.attr in WRITING_METHODS)
        if writes and written_name(node) not in safe:
            found.append(f"line {node.lineno}: {ast.get_source_segment(source, node)[:60]}")
    return found


@pytest.mark.parametrize("name", sorted(modules()), ids=str)
def test_every_writer_goes_through_the_atomic_helpers(name):
    found = raw_writes(name)
    if name in STREAMING:
        assert found, f"{name} no longer streams into a file: take it off STREAMING"
    else:
        assert not found, f"{name} writes a file in place; use livelatent.common.files: {found}"
