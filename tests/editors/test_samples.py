"""Timelines other people's editors exported (OpenTimelineIO's and its adapters' own test data,
tests/data/otio/NOTICE.md: Premiere, Resolve, FCP X, Avid, Hiero, Nucoda) are all read, and
each is conformed against z-sequences made for its media names, or refused in one line that
says what is missing.
"""

import gzip
import shutil
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from livelatent.common import zseq
from livelatent.edit.picks import NONE, pick
from livelatent.errors import LivelatentError
from livelatent.offline.conform_edit import conform_project
from livelatent.offline.edit_reader import read_edit
from livelatent.common.zseq import ZSequence

DATA = Path(__file__).parent.parent / "data" / "otio"
EMPTY = "the timeline is empty"
NO_Z = "no frame of the edit comes from a clip with a z-sequence"
# file -> (what the user says: an EDL's --rate, --sequence), None if it conforms, else the refusal
SAMPLES = {
    "25fps.edl": ({"rate": Fraction(25)}, None),
    "avid_example.edl": ({"rate": Fraction(24)}, None),
    "premiere_example.edl": ({"rate": Fraction(24)}, None),
    "nucoda_example.edl": ({"rate": Fraction(24)}, None),
    "dissolve_test.edl": ({"rate": Fraction(24)}, None),
    "wipe_test.edl": ({"rate": Fraction(24)}, None),
    "speed_effects_small.edl": ({"rate": Fraction(24)}, None),
    "transition_duration.edl": ({"rate": Fraction(24)}, None),
    "gap_test.edl": ({"rate": Fraction(24)}, "more than 1,000,000 rows"),  # source timecode 23:00:03:00
    "multi_audio.edl": ({"rate": Fraction(24)}, EMPTY),  # audio only
    "simple_cut.otio": ({}, None),
    "transition.otio": ({}, None),
    "nested_example.otio": ({}, None),
    "multitrack.otio": ({}, None),
    "screening_example.otio": ({}, None),
    "clip_example.otio": ({}, None),
    "enabled.otio": ({}, None),
    "effects.otio.gz": ({}, None),  # DaVinci Resolve
    "generator_reference_test.otio": ({}, NO_Z),  # a generator only
    "premiere_example.xml": ({}, None),
    "hiero_xml_export.xml": ({}, None),
    "premiere_generators.xml": ({}, NO_Z),  # slugs, bars, mattes only
    "sample_just_track.xml": ({}, EMPTY),  # audio only
    "fcpx_example.fcpxml": ({"sequence": "OpenTimeline_Project"}, None),
    "fcpx_project.fcpxml": ({}, None),
    "fcpx_clips.fcpxml": ({"sequence": "compound_clip_1"}, None),
    "one_clip.aaf.gz": ({}, None),
    "transitions.aaf.gz": ({}, None),
    "linear_speed_effects.aaf.gz": ({}, None),
    "misc_speed_effects.aaf.gz": ({}, None),
    "nesting_test.aaf.gz": ({}, None),
    "2997fps-DFTC.aaf.gz": ({}, None),
    "keyframed_properties.aaf.gz": ({}, "time effect 'Unknown Time Warp Effect' (TimeEffect) is not supported"),
}


def unpacked(name: str, folder: Path) -> Path:
    edit = folder / name.removesuffix(".gz")
    if name.endswith(".gz"):
        edit.write_bytes(gzip.decompress((DATA / name).read_bytes()))
    else:
        shutil.copy(DATA / name, edit)
    return edit


def z_for_media_names(timeline, folder: Path):
    """A z-sequence for every clip's media, named by its file's stem or its clip name, long
    enough for every frame the edit uses: row r of source i is (i, r). Returns the picks."""
    picks = pick(timeline)
    for i, source in enumerate(picks.sources):
        if not source.has_frames:
            continue
        stem = folder / (source.path.stem if source.path else source.names[0])
        rows = int(picks.pos[picks.src == i].max(initial=0)) + 1
        if stem.with_suffix(".npy").exists():  # another clip of the same media
            rows = max(rows, len(zseq.load(stem)))
        z = np.zeros((rows, 2), np.float32)
        z[:, 0], z[:, 1] = i, np.arange(rows)
        zseq.save(ZSequence(z, source.fps or timeline.fps, {"id": f"source{i}"}), stem)
    return picks


def test_every_sample_is_listed():
    assert sorted(p.name for p in DATA.iterdir() if p.name not in ("LICENSE", "NOTICE.md")) == sorted(SAMPLES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_an_exported_timeline_conforms_or_says_what_is_missing(name, tmp_path):
    options, refusal = SAMPLES[name]
    edit = unpacked(name, tmp_path)
    media = tmp_path / "media"
    media.mkdir()
    if refusal is not None:
        with pytest.raises(LivelatentError) as refused:
            z_for_media_names(read_edit(edit, **options), media)
            conform_project(edit, search=[media], **options)
        assert refusal in str(refused.value) and "\n" not in str(refused.value)
        return
    timeline = read_edit(edit, **options)
    picks = z_for_media_names(timeline, media)
    seq, report = conform_project(edit, search=[media], **options)
    assert len(seq) == timeline.length == report["frames"]
    single = (picks.src[:, 0] != NONE) & (picks.weight[:, 0] == 1)
    sources = [i for i, s in enumerate(picks.sources) if s.has_frames]
    rows = np.flatnonzero(single & np.isin(picks.src[:, 0], sources))
    assert len(rows) > 0
    assert np.array_equal(seq.z[rows, 0], picks.src[rows, 0]), "each frame from the clip the edit says"
    assert np.array_equal(seq.z[rows, 1], np.floor(picks.pos[rows, 0])), "... at the frame the edit says"


def test_a_file_holding_several_timelines_asks_which(tmp_path):
    with pytest.raises(LivelatentError, match=r"holds 2 timelines \('OpenTimeline_Project', "
                                              r"'OpenTimeline_Project 1'\); choose one with `sequence` NAME"):
        read_edit(unpacked("fcpx_example.fcpxml", tmp_path))
