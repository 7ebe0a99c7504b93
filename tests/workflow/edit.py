"""The film editor's side of the workflow test: a Kdenlive 23.04+ project (sequences, `<chain>`
clips, two-lane tracks with same-track mixes) written as Kdenlive writes it, and its render by
Kdenlive's engine, Debian's melt."""

from __future__ import annotations

import os
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np

from conform.kdenlive_writer import Clip, Lanes, sequences
from livelatent.adapters.video import count_frames, iter_frames
from livelatent.common.zseq import load

MELT = shutil.which("melt")


def clip(code: int, video: Path, project_folder: Path) -> Clip:
    """A bin clip for the project: the video by its path relative to the project, as Kdenlive keeps it."""
    seq = load(video.with_suffix(""))
    assert count_frames(video) == len(seq)
    return Clip(code, video.relative_to(project_folder), len(seq), Fraction(seq.fps.value))


def write_project(path: Path, fps: Fraction, tracks: list[Lanes], size: tuple[int, int]) -> Path:
    """A one-sequence project at fps whose profile is size (w, h), square pixels, its media
    relative to the project's folder, which `root` names, as Kdenlive saves them."""
    w, h = size
    text = sequences(fps, tracks, {}).replace(' root=""', f' root="{path.parent.resolve()}"')
    text = text.replace('width="64" height="36"', f'width="{w}" height="{h}"')
    text = text.replace('display_aspect_num="16" display_aspect_den="9"',
                        f'display_aspect_num="{w}" display_aspect_den="{h}"')
    path.write_text(text)
    return path


def render_with_melt(project: Path) -> np.ndarray:
    """Every frame melt plays of the whole project (no in/out given), as RGB (n, h, w, 3).
    Like Kdenlive's own render job, melt gets a copy saying avformat for avformat-novalidate,
    which Debian's melt (MLT 7.12) cannot load."""
    melt_copy = project.with_suffix(".melt.mlt")
    melt_copy.write_text(project.read_text().replace("avformat-novalidate", "avformat"))
    out = project.with_suffix(".melt.mkv")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([MELT, "-quiet", melt_copy.name, "-consumer", f"avformat:{out.name}", "vcodec=ffv1",
                    "pix_fmt=yuv444p", "an=1", "real_time=-1"],
                   cwd=project.parent, env=env, check=True, timeout=120, capture_output=True)
    return np.stack(list(iter_frames(out)))


def assert_shows_source_frames(rendered: np.ndarray, shown: dict[int, tuple[Path, int]], tolerance: float = 10) -> None:
    """Each rendered frame f is the frame shown[f] = (video, index) of a source video, up to the
    codecs (mean level difference < tolerance), and no other frame of that video is nearer."""
    sources = {video: np.stack(list(iter_frames(video))) for video, _ in shown.values()}
    for f, (video, index) in shown.items():
        assert_nearest(rendered[f], sources[video], index, tolerance, f"timeline frame {f} ({video.name})")


def assert_nearest(image: np.ndarray, candidates: np.ndarray, index: int, tolerance: float, what: str) -> None:
    """image is candidates[index] up to a codec: mean level difference < tolerance, none nearer."""
    distance = np.abs(candidates.astype(np.int16) - image.astype(np.int16)).mean(axis=(1, 2, 3))
    assert distance[index] < tolerance and distance[index] <= distance.min() + 0.1, (
        f"{what}: expected frame {index} (distance {distance[index]:.1f}), "
        f"nearest is frame {distance.argmin()} ({distance.min():.1f})")
