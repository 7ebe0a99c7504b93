"""A control the loop cannot apply, whatever the reason, is one line; the show goes on."""

from __future__ import annotations

from livelatent.instrument.actions import make
from livelatent.commands.perform import show_config
from livelatent.live.loop_clock import ManualClock
from livelatent.live.session import build_session


def test_a_control_that_fails_with_a_bug_is_one_line_and_the_show_goes_on(tmp_path, capsys):
    s = build_session(show_config(["--headless", "--size", "32x32", "--osc-port", "0", "--recordings",
                                   str(tmp_path)]), clock=ManualClock())
    apply = s.app.perf.apply

    def buggy(event):  # as if a handler had a bug for this one value
        if event.action == "keyframe" and event.args[0] == 5:
            raise IndexError("list index out of range")
        return apply(event)

    s.app.perf.apply = buggy
    for event in (make("keyframe", 5), make("keyframe", 7), make("noise", 0.5)):
        s.app.bus.put(event)
    try:
        summary = s.app.run(duration=0.5)
    finally:
        s.close()
    assert summary.frames > 3 and summary.rejected == 1
    assert [str(a.event) for a in s.app.applied] == ["keyframe(7, 1.0)", "noise(0.5)"]
    assert s.app.perf.target_slot == 7 and s.app.perf.noise == 0.5
    err = capsys.readouterr().err
    assert err.count("IndexError: list index out of range; ignored (a bug)") == 1
