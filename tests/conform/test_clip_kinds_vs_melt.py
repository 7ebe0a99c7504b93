"""Clips that are not plain media: the file a speed-changed clip plays, colour and generator
clips (foreign), nested sequences with a colour background, playlist clips and tagged stills.

Each case is written in the structures of at least two Kdenlive generations and checked
against melt frame by frame, as in test_conform_vs_melt.py.
"""

import shutil
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from livelatent.common import zseq
from livelatent.errors import ProjectError
from livelatent.common.latent import sample
from livelatent.offline.conform_edit import conform_project
from livelatent.common.zseq import ZSequence

from .coded_media import coded_rows, write_still
from .conftest import conformed_rows_vs_melt, mismatches_with_melt, requires_melt
from .kdenlive_writer import GENERATIONS, Blank, Cut, Image, Lanes, Nest, PlaylistClip, sequences, timeline2
from .kdenlive_writer import in_generation as _in_generation

FPS = Fraction(25)


def in_generation(generation, tracks, **options):
    return _in_generation(generation, FPS, tracks, **options)


def _write(folder, name, text):
    path = folder / f"{name}.kdenlive"
    path.write_text(text)
    return path


@requires_melt
@pytest.mark.parametrize("generation", GENERATIONS)
def test_a_speed_changed_clip_plays_its_resource_when_warp_resource_is_stale(media, generation):
    folder, c = media
    stale = "Screencasts/moved-away.mkv"  # relative, pointing nowhere (a 25.12 project)
    v1 = [Cut(c[1], 10, 19, speed=0.5, warp_resource=stale), Cut(c[2], 4, 13, speed=-2.0, warp_resource=stale)]
    project = _write(folder, f"stale_warp_{generation}", in_generation(generation, [v1]))
    assert mismatches_with_melt(project) == []


def test_a_nested_sequence_with_a_colour_background_conforms(media, tmp_path):
    folder, c = media
    shutil.copy(folder / "c1.mkv", tmp_path)
    z = sample(c[1].frames, 8, seed=1)
    zseq.save(ZSequence(z, c[1].fps), tmp_path / "c1")
    inner = [Lanes([Cut(c[1], 0, 4), Blank(3), Cut(c[1], 10, 14)])]  # its gap shows its black
    main = [Lanes([Nest("Inner", 0, 12)])]
    project = _write(tmp_path, "nested_black", sequences(FPS, main, {"Inner": inner}, nested_background="black"))
    seq, report = conform_project(project)
    assert len(seq) == 13 and report["frames_without_z"] == 3
    np.testing.assert_array_equal(seq.z[:5], z[0:5])
    np.testing.assert_array_equal(seq.z[5:8], np.repeat(z[4:5], 3, axis=0))  # the colour: held (--foreign)
    np.testing.assert_array_equal(seq.z[8:], z[10:15])


@pytest.mark.parametrize("service", ["color", "noise", "count", "glaxnimate", "frei0r.test_pat_B", "qtext"])
def test_colour_and_generator_clips_are_foreign(tmp_path, service):
    project = tmp_path / "generated.kdenlive"
    project.write_text(
        "<mlt><profile frame_rate_num='25' frame_rate_den='1'/>"
        f"<producer id='p' out='9'><property name='mlt_service'>{service}</property>"
        "<property name='resource'>0xff0000ff</property></producer>"
        "<playlist id='pl'><entry producer='p' in='0' out='9'/></playlist>"
        "<tractor id='t'><track producer='pl'/><track producer='pl'/></tractor></mlt>")
    from livelatent.adapters.kdenlive import read_project

    (source,) = read_project(project).sources()
    assert not source.has_frames and source.kind in ("colour", "generated", "title")


@requires_melt
@pytest.mark.parametrize("generation,service", [("gen2", "pixbuf"), ("timeline2", "qimage"), ("sequences", "qimage")])
def test_tagged_stills_hold_their_z_for_the_image_clips_duration(coded_media, generation, service):
    folder, c = coded_media
    # stills of frames 12 and 40 of clip 1 (tagged by id) and frame 7 of clip 2 (by its pair's path)
    write_still(folder / "still-a.png", 1, 12, {"livelatent_id": "coded1", "livelatent_frame": "12"})
    write_still(folder / "still-b.png", 2, 7, {"livelatent_zseq": str(folder / "c2"), "livelatent_frame": "7"})
    v1 = [Image(Path("still-a.png"), 0, 9, service), Cut(c[3], 5, 9), Image(Path("still-b.png"), 100, 119, service),
          Image(Path("still-a.png"), 3, 4, service)]
    project = _write(folder, f"stills_{generation}", in_generation(generation, [v1]))
    assert conformed_rows_vs_melt(project) == []


def test_an_untagged_image_is_foreign_and_a_still_whose_z_sequence_is_gone_is_refused(coded_media, tmp_path):
    folder, c = coded_media
    shutil.copy(folder / "c1.mkv", tmp_path)
    zseq.save(ZSequence(coded_rows(1, c[1].frames), c[1].fps), tmp_path / "c1")
    write_still(tmp_path / "photo.png", 5, 5)
    write_still(tmp_path / "orphan.png", 9, 3, {"livelatent_id": "nowhere", "livelatent_frame": "3"})
    held = _write(tmp_path, "photo", in_generation("timeline2", [[Cut(c[1], 0, 4), Image(Path("photo.png"), 0, 4)]]))
    seq, report = conform_project(held)
    assert report["frames_without_z"] == 5 and seq.z[9, 1] == 4  # the photo: the last z held
    orphan = _write(tmp_path, "orphan", in_generation("timeline2", [[Image(Path("orphan.png"), 0, 4)]]))
    with pytest.raises(ProjectError, match="orphan.png is a livelatent still"):
        conform_project(orphan)


@requires_melt
@pytest.mark.parametrize("generation", GENERATIONS)
def test_a_playlist_clip_plays_the_timeline_inside_its_file(media, generation):
    folder, c = media
    # the inner file as Kdenlive exports it, with avformat for Debian's melt (see melt_check.melt_copy)
    inner = timeline2(FPS, [Lanes([Cut(c[2], 0, 9), Cut(c[3], 30, 49)]), Lanes([Blank(12), Cut(c[4], 0, 5)])])
    (folder / "inner.mlt").write_text(inner.replace("avformat-novalidate", "avformat"))
    v1 = [Cut(c[1], 0, 9), PlaylistClip(Path("inner.mlt"), 5, 24), Cut(c[5], 0, 4)]
    project = _write(folder, f"playlist_clip_{generation}", in_generation(generation, [v1]))
    assert mismatches_with_melt(project) == []


def test_playlist_clips_that_include_each_other_are_refused(media, tmp_path):
    _, c = media
    (tmp_path / "a.mlt").write_text(timeline2(FPS, [Lanes([PlaylistClip(Path("b.mlt"), 0, 9)])]))
    (tmp_path / "b.mlt").write_text(timeline2(FPS, [Lanes([PlaylistClip(Path("a.mlt"), 0, 9)])]))
    project = _write(tmp_path, "loop", in_generation("gen2", [[PlaylistClip(Path("a.mlt"), 0, 4)]]))
    from livelatent.adapters.kdenlive import read_project

    with pytest.raises(ProjectError, match=r"includes itself \(loop.kdenlive -> a.mlt -> b.mlt -> a.mlt\)"):
        read_project(project)


@requires_melt
def test_a_consumer_playlist_clip_plays_its_file_at_the_files_own_rate(media):
    folder, c = media
    inner = timeline2(Fraction(30), [Lanes([Cut(c[3], 0, 29), Cut(c[4], 10, 39)])])
    (folder / "inner30.mlt").write_text(inner.replace("avformat-novalidate", "avformat"))
    v1 = [Cut(c[1], 0, 4), PlaylistClip(Path("inner30.mlt"), 3, 40, service="consumer")]
    project = _write(folder, "consumer_clip", in_generation("timeline2", [v1]))
    assert mismatches_with_melt(project) == []
