"""Fixed-tick time and frame sampling: exact frame times at any fps, no accumulated drift."""

from fractions import Fraction

import pytest

from livelatent.motion.clock import FrameSampler, TickClock
from livelatent.errors import UsageError
from livelatent.common.rates import FrameRate


def test_tick_time_is_exact_after_a_million_ticks():
    clock = TickClock(240)
    assert clock.time(1_000_000) == Fraction(1_000_000, 240)
    assert clock.dt == 1 / 240


def test_ticks_due_counts_whole_ticks_of_wall_time():
    clock = TickClock(240)
    assert clock.ticks_due(0.0) == 0
    assert clock.ticks_due(1 / 240 - 1e-6) == 0
    assert clock.ticks_due(0.1 + 0.2) == 72  # float noise does not lose a tick
    assert clock.ticks_due(-1.0) == 0


def test_tick_at_rounds_a_time_up_to_the_next_tick():
    clock = TickClock(240)
    assert clock.tick_at(Fraction(1, 30)) == 8
    assert clock.tick_at(Fraction(1001, 30000)) == 9


def test_tick_rate_must_be_a_positive_integer():
    with pytest.raises(UsageError, match="tick rate"):
        TickClock(0)


def _emitted(fps, tick_rate=240, ticks=2400, start_tick=0):
    sampler = FrameSampler(fps, tick_rate, start_tick)
    frames = []
    for tick in range(start_tick + 1, start_tick + ticks + 1):
        frames += [(k, tick, alpha) for k, alpha in sampler.frames_in_step(tick)]
    return sampler, frames


@pytest.mark.parametrize("fps", ["30", "25", "30000/1001", "60", "24000/1001"], ids=str)
def test_every_frame_comes_once_at_its_exact_time(fps):
    clock = TickClock(240)
    sampler, frames = _emitted(FrameRate.parse(fps))
    ks = [k for k, _, _ in frames]
    assert ks == list(range(len(ks)))
    for k, tick, alpha in frames:
        assert 0 <= alpha < 1
        assert clock.time(tick - 1) + alpha / 240 == sampler.frame_time(k) == k / FrameRate.parse(fps).value


def test_whole_rates_land_on_ticks_so_alpha_is_zero():
    for fps in (30, 60, 24, 120):
        _, frames = _emitted(fps)
        assert all(alpha == 0 for _, _, alpha in frames)


def test_ntsc_frames_fall_between_ticks():
    _, frames = _emitted("30000/1001", ticks=240 * 100)
    assert len(frames) == 2998  # 100 s at 29.97 fps, frames 0..2997
    assert frames[1][1:] == (9, Fraction(1, 125))


def test_a_sampler_started_mid_take_counts_frames_from_its_start():
    sampler, frames = _emitted(25, start_tick=1000, ticks=480)
    assert frames[0][:2] == (0, 1001)
    assert sampler.frame_time(0) == Fraction(1000, 240)
    assert [k for k, _, _ in frames] == list(range(50))


def test_last_tick_for_covers_exactly_the_frames_asked_for():
    for fps in ("30000/1001", 25, 60):
        sampler = FrameSampler(fps, 240)
        last = sampler.last_tick_for(100)
        emitted = [k for t in range(1, last + 1) for k, _ in sampler.frames_in_step(t)]
        assert emitted[-1] == 99
        assert all(k < 99 for t in range(1, last) for k, _ in sampler.frames_in_step(t))
