"""Deep Meditations, end to end, as the artist and the film editor do it, with real parts:

perform headless and record a take played over OSC (UDP 127.0.0.1) -> explore offline (a reel
of samples, a journey from it) -> cut the take's proxy and the journey in a Kdenlive 23.04+
project (trims, a same-track crossfade, a gap, a cut) -> Kdenlive's engine (melt) renders the
edit -> `livelatent conform` applies the same edit to the z-sequences -> `livelatent render`
renders the conformed path; and `livelatent replay` gives the take's z back bit for bit.
"""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from livelatent.common import zseq
from livelatent.adapters.video import iter_frames
from livelatent.cli import main
from livelatent.generators import load as load_model
from livelatent.common.latent import slerp

from conform.kdenlive_writer import Blank, Cut, Lanes
from workflow.edit import MELT, assert_nearest, assert_shows_source_frames, clip, render_with_melt, write_project
from workflow.show import OscPanel

SIZE = 64  # every picture 64x64: proxies, reel, journey, melt's profile, the final render

CUES = [(0.0, "/livelatent/motion/settle_time", 0.15),  # a fader: fast moves
        (0.1, "/livelatent/keyframe/3", 1),             # TouchDesigner buttons, one address each
        (0.8, "/livelatent/keyframe/7", 1),
        (1.2, "/livelatent/motion/damping", 0.3),       # swing past the keyframes
        (1.5, "/livelatent/keyframe", 12)]


@pytest.mark.skipif(MELT is None, reason="needs Debian's melt (./setup.sh --test installs it)")
def test_perform_record_explore_edit_in_kdenlive_conform_render_and_replay(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # a project folder of the artist's: recordings/, explore/, final/
    model = load_model("default")

    # 1. Perform headless for 3 s, recording from the start, played from an OSC panel.
    with OscPanel(show_port=_free_udp_port(), cues=CUES) as panel:
        assert main(["perform", "--headless", "--duration", "3", "--record", "--size", f"{SIZE}x{SIZE}",
                     "--seed", "5", "--osc-port", str(panel.show_port),
                     "--osc-feedback", f"127.0.0.1:{panel.feedback_port}"]) == 0
    assert len(panel.sent) == len(CUES)
    (take_dir,) = sorted((tmp_path / "recordings").glob("take-*"))
    take = zseq.load(take_dir)  # a take folder names the z-sequence pair inside it
    events = [json.loads(line) for line in (take_dir / "events.jsonl").read_text().splitlines()]
    assert [(e["source"], e["event"]["action"]) for e in events if e["source"] == "osc"] == [
        ("osc", "motion"), ("osc", "keyframe"), ("osc", "keyframe"), ("osc", "motion"), ("osc", "keyframe")]
    assert str(take.fps) == "30" and len(take) >= 80
    assert np.linalg.norm(take.z[50] - take.z[5]) > 1  # the panel's keyframes moved the particle
    proxy = take_dir / f"{take_dir.name}.mp4"
    proxy_frames = np.stack(list(iter_frames(proxy)))
    assert len(proxy_frames) == len(take)  # and proxy frame k shows decode(z[k]), up to H.264
    decoded_take = model.decode(take.z, size=(SIZE, SIZE))
    for k, frame in enumerate(proxy_frames):
        assert_nearest(frame, decoded_take, k, 25, f"proxy frame {k}")
    assert main(["plot-path", f"recordings/{take_dir.name}", "-o", "take.png"]) == 0  # look at the path played

    # 2. Explore offline: a reel of random samples, a journey between two frames picked from it.
    assert main(["samples", "-n", "6", "--seed", "1", "--size", str(SIZE), "-q", "-o", "explore/reel"]) == 0
    assert main(["journeys", "explore/reel", "--pick", "1,4", "--frames", "40", "--size", str(SIZE), "-q",
                 "-o", "explore/j"]) == 0
    journey = zseq.load("explore/j/journey-000")
    assert len(journey) == 40

    # 3. Edit in Kdenlive: one video track of a 30 fps sequence, timeline frames
    #     0..29  the take from its frame 5, crossfading over 24..29 into
    #    24..43  the journey from its frame 3 (on the track's second lane: a same-track mix)
    #    44..49  a gap
    #    50..59  the take's frames 50..59, then a straight cut to
    #    60..69  the journey's frames 30..39
    journey_video = tmp_path / "explore/j/journey-000.mp4"
    t, j = clip(1, proxy, tmp_path), clip(2, journey_video, tmp_path)
    v1 = Lanes([Cut(t, 5, 34), Blank(20), Cut(t, 50, 59), Cut(j, 30, 39)],
               [Blank(24), Cut(j, 3, 22)], mixes=[(24, 30, False)])
    project = write_project(tmp_path / "edit.kdenlive", Fraction(30), [v1], (SIZE, SIZE))

    # 4. Kdenlive's engine plays the edit: 70 frames, each the proxy or journey frame the cut says
    #    (black in the gap, where the conform holds the last z instead)
    melt_frames = render_with_melt(project)
    assert len(melt_frames) == 70
    shown = {**{f: (proxy, 5 + f) for f in range(24)}, **{f: (journey_video, 9 + f - 30) for f in range(30, 44)},
             **{f: (proxy, f) for f in range(50, 60)}, **{f: (journey_video, f - 30) for f in range(60, 70)}}
    assert_shows_source_frames(melt_frames, shown)

    # 5. The conform applies the same edit to the z-sequences behind the clips.
    assert main(["conform", str(project), "-o", "final/edit"]) == 0
    edit = zseq.load("final/edit")
    assert len(edit) == len(melt_frames) and str(edit.fps) == "30"
    expected = np.concatenate([take.z[5:29], journey.z[9:23], np.repeat(journey.z[22:23], 6, axis=0),
                               take.z[50:60], journey.z[30:40]])
    np.testing.assert_array_equal(edit.z[[*range(0, 24), *range(30, 70)]], expected)
    for frame in range(24, 30):  # the crossfade: on the shell between take and journey, MLT's weight
        weight = (frame - 24) / 7
        a, b = take.z[5 + frame], journey.z[3 + frame - 24]
        np.testing.assert_allclose(edit.z[frame], slerp(a, b, weight), rtol=1e-5, atol=1e-5)
        norms = sorted(np.linalg.norm([a, b], axis=1))
        assert norms[0] - 1e-3 <= np.linalg.norm(edit.z[frame]) <= norms[1] + 1e-3  # no lerp dip inside
    report = capsys.readouterr().out
    assert "6 gap frames" in report

    # 6. The final render of the conformed path (lossless here): frame i is decode(z[i]).
    assert main(["render", "final/edit", "--size", str(SIZE), "--lossless", "-q", "-o", "final/edit-render.mp4"]) == 0
    final = np.stack(list(iter_frames(tmp_path / "final/edit-render.mp4")))
    np.testing.assert_array_equal(final, model.decode(edit.z, size=(SIZE, SIZE)))

    # 7. Replay at the take's own fps: the recorded z-sequence, bit for bit.
    assert main(["replay", take_dir.name, "--z-only", "-o", "final/take-replayed"]) == 0
    assert zseq.load("final/take-replayed").z.tobytes() == take.z.tobytes()


def _free_udp_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
