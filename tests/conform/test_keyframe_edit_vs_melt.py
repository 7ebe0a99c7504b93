"""A keyframe edit, as an artist makes one: five stills of a reel cut in Kdenlive with uneven
durations, a guide inside the long one, a gap; `conform --keyframes` turns the cut into one
smooth path. melt renders the project, so every cut and the gap are where Kdenlive plays them.

The stills are coded pictures (coded_media.py) carrying the tags `livelatent stills` writes
(offline/stills.still_tags), so melt's frame says which still it shows.
"""

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from livelatent import zseq
from livelatent.latent import SHELL_SPREAD, sample, shell_radius
from livelatent.motion import MotionParams
from livelatent.motion.metrics import measure
from livelatent.offline.keyframe_edit import KeyframeOptions, keyframe_conform
from livelatent.offline.stills import still_name, still_tags
from livelatent.zseq import ZSequence

from .coded_media import decode, write_still
from .conftest import requires_melt
from .kdenlive_writer import Blank, Image, in_generation
from .melt_check import render_levels

FPS = Fraction(25)
REEL_CODE = 7  # the coded stills show (7, reel row)
ROWS = [5, 2, 7, 0, 3]  # the reel rows the five stills hold, in cut order
LENGTHS = [30, 70, 20, 45, 25]  # uneven; the gap of 15 frames comes after the long one
GAP = 15
GUIDE = 70  # inside the long still (frames 30..99): hold it until here, then move on
CUTS = [0, 30, 115, 135, 180]
LENGTH = 205


def _reel(folder: Path) -> ZSequence:
    """A reel whose rows lie near the shell, as `livelatent samples` makes them (d = 512)."""
    z = sample(40, 512, seed=11)
    near = np.abs(np.linalg.norm(z, axis=1) - shell_radius(512)) < 0.5 * SHELL_SPREAD
    seq = ZSequence(z[near][:8], FPS, {"made_by": "samples", "model": "default", "id": "reel-keyframes"})
    zseq.save(seq, folder / "reel")
    return seq


def _project(folder: Path, generation: str) -> Path:
    reel = _reel(folder)
    service = "pixbuf" if generation == "gen2" else "qimage"
    items = []
    for row, length in zip(ROWS, LENGTHS):
        name = still_name("reel", row)
        write_still(folder / name, REEL_CODE, row, still_tags(reel, row, str(folder / "reel")))
        items.append(Image(Path(name), 0, length - 1, service))
    items.insert(2, Blank(GAP))
    project = folder / f"stills-{generation}.kdenlive"
    project.write_text(in_generation(generation, FPS, [items], guides=[(GUIDE, "move on")]))
    return project


@requires_melt
@pytest.mark.parametrize("generation", ["gen2", "sequences"], ids=["15.08-18.12", "23.04+"])
def test_stills_cut_in_kdenlive_time_one_smooth_path(tmp_path, generation):
    project = _project(tmp_path, generation)
    reel = zseq.load(tmp_path / "reel")
    seq, report = keyframe_conform(project, KeyframeOptions("spline"))
    levels = render_levels(project, LENGTH)
    assert len(seq) == len(levels) == LENGTH == report["frames"]  # the timeline's length, gap included
    # every cut where melt cuts, the guide where Kdenlive shows it, the gap held still
    assert seq.meta["keyframe_frames"] == [0, 30, GUIDE, 115, 135, 180]
    assert [k["kind"] for k in seq.meta["keyframes"]] == ["cut", "cut", "guide", "cut", "cut", "cut"]
    for frame, row in zip(CUTS, ROWS):
        assert decode(levels[frame]) == (REEL_CODE, row) and decode(levels[frame - 1]) != (REEL_CODE, row)
        assert np.array_equal(seq.z[frame], reel.z[row])  # the still's z, bit for bit, on its frame
    assert decode(levels[GUIDE]) == (REEL_CODE, 2) and np.array_equal(seq.z[GUIDE], reel.z[2])
    assert all(decode(level) is None for level in levels[100:115]) and seq.meta["pauses"] == [[100, 114]]
    assert np.array_equal(seq.z[30:GUIDE + 1], np.repeat(reel.z[2:3], GUIDE - 29, axis=0))  # held to the guide
    assert not np.array_equal(seq.z[GUIDE + 1], reel.z[2])  # then it moves on
    # smooth through every keyframe, and on the shell
    motion = measure(seq.z, float(FPS), keys=seq.meta["keyframe_frames"])
    assert motion.velocity_jump <= 0.05
    assert motion.shell_deviation <= 1.0


@requires_melt
def test_a_mover_chases_the_same_keyframes_within_its_settle_time(tmp_path):
    project = _project(tmp_path, "sequences")
    settle = 0.6  # 15 frames, less than the shortest way between two keyframes (20 frames)
    seq, _ = keyframe_conform(project, KeyframeOptions("smooth", params=MotionParams(settle_time=settle)))
    spline, _ = keyframe_conform(project, KeyframeOptions("spline"))
    assert seq.meta["keyframe_frames"] == spline.meta["keyframe_frames"]
    keys = spline.z[seq.meta["keyframe_frames"]].astype(np.float64)
    keys = keys * (shell_radius(512) / np.linalg.norm(keys, axis=1))[:, None]  # a mover aims at the shell
    frames = seq.meta["keyframe_frames"]
    for previous, key, before in zip(frames, keys[1:], keys):
        if np.allclose(key, before):
            continue  # the guide holds the still already reached
        # each keyframe is the target from the previous keyframe on, at the latest
        reached = previous + int(np.ceil(settle * FPS))
        assert np.linalg.norm(seq.z[reached] - key) < 0.025 * np.linalg.norm(seq.z[previous] - key)
    assert measure(seq.z, float(FPS)).shell_deviation < 1e-3  # the geodesic movers stay on the shell
