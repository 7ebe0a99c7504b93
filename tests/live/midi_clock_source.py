"""A pretend drum machine: a MIDI clock source on a virtual JACK MIDI port, in its own process.

    python tests/live/midi_clock_source.py NAME BPM SCRIPT [--jitter MS] [--seed N]

SCRIPT is a comma-separated list of steps: "start", "stop", "continue", "spp:SIXTEENTHS",
"wait:SECONDS" (no pulses, the port open), "beats:N" (N beats of 24 pulses; while stopped the
pulses go on, as a real clock's do). Pulses are sent at their musical instant plus Gaussian
jitter (the "realistic jitter" of a USB MIDI clock: a fraction of a millisecond), each at its
absolute instant (no drift accumulates), from a real-time thread where the system allows one.
Prints one JSON line per beat that started while playing, {"beat": B, "t": perf_counter
seconds}, the beat's true instant without the jitter, {"ready": true} once the port exists,
and at the end {"late": N, "pulses": M, "sent": [instants], "messages": K}: how many of its M
pulses went out more than LATE after their instant, each one's instant (with its jitter),
and how many other messages (start, stop, continue, song position) it sent.

delivered() is the test's side: from the messages the MIDI system handed the show's clock
input (before livelatent makes anything of them) it says how many never came and how many
pulses came more than one JACK period + LATE later than usual. Late sending, a lost message,
or late deliveries mean the machine could not deliver a clock on time: the test plays again,
and says so if it never could; what livelatent makes of a clock delivered on time is checked.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time

import mido

LATE = 0.002  # a pulse sent this much after its instant: this process was not scheduled in time
RT_PRIORITY = 10  # SCHED_FIFO priority of the sending thread (JACK's own real-time threads use 10-20 above it)


def keep_time() -> bool:
    """A drum machine keeps its own time, whatever the computer is doing: this thread first in
    line where allowed (SCHED_FIFO: root or CAP_SYS_NICE; woken within ~0.1 ms at load 11 on
    2 cores), else a higher priority (nice -15) than the load. True when real-time."""
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(RT_PRIORITY))
        return True
    except (OSError, AttributeError):
        pass
    try:
        os.nice(-15)
    except OSError:
        pass
    return False


def sleep_until(t: float, realtime: bool) -> None:
    """Real-time: the timer's wake-up is on time. Otherwise the last 2 ms are spun (yielding),
    as the scheduler's wake-ups can come a few ms late."""
    while True:
        left = t - time.perf_counter()
        if left <= 0:
            return
        time.sleep(left if realtime else left - 0.001 if left > 0.002 else 0)


def main(name: str, bpm: float, script: str, jitter_ms: float = 0.5, seed: int = 1) -> None:
    realtime = keep_time()
    rng = random.Random(seed)
    out = mido.Backend("mido.backends.rtmidi/UNIX_JACK", load=True).open_output(name, virtual=True)
    print(json.dumps({"ready": True}), flush=True)
    sys.stdin.readline()  # the test connects, then says go
    period = 60.0 / bpm / 24
    t = time.perf_counter() + 0.2
    playing, song_pulse, late, pulses, sent, messages = False, 0, 0, 0, [], 0
    for step in script.split(","):
        kind, _, arg = step.partition(":")
        if kind in ("start", "stop", "continue", "spp"):
            sleep_until(t - period / 2, realtime)  # between two pulses, as a sequencer sends them
            messages += 1
            if kind == "spp":
                out.send(mido.Message("songpos", pos=int(arg)))
                song_pulse = int(arg) * 6
            else:
                out.send(mido.Message(kind))
                playing = kind != "stop"
                song_pulse = 0 if kind == "start" else song_pulse
        elif kind == "wait":
            t += float(arg)
        elif kind == "beats":
            for _ in range(int(arg) * 24):
                if playing and song_pulse % 24 == 0:
                    print(json.dumps({"beat": song_pulse // 24, "t": t}), flush=True)
                due = t + rng.gauss(0, jitter_ms / 1000)
                sleep_until(due, realtime)
                out.send(mido.Message("clock"))
                sent.append(due)
                late += time.perf_counter() - due > LATE
                pulses += 1
                song_pulse += playing
                t += period
    time.sleep(0.3)
    print(json.dumps({"late": late, "pulses": pulses, "sent": sent, "messages": messages}), flush=True)
    out.close()


def delivered(heard: list, said: dict, period_s: float) -> dict:
    """What the MIDI system handed a receiver: `heard` its messages as rtmidi gave them
    ((bytes, seconds since the previous one)); `said` the source's last line. {"lost": the
    messages it never got (JACK drops a cycle's MIDI for a client that misses the cycle, as a
    non-real-time client on a loaded machine does), "delivered_late": pulses handed over more
    than one JACK period + LATE later than usual} (all of them when any was lost: they cannot
    be paired with their instants)."""
    times, at, others = [], 0.0, 0
    for message, delta in heard:
        at += delta
        if message[0] == 0xF8:
            times.append(at)
        else:
            others += 1
    sent = said["sent"]
    lost = max(len(sent) - len(times), 0) + max(said["messages"] - others, 0)
    if lost or not times:
        return {"lost": lost, "delivered_late": len(sent)}
    delays = sorted(t - s for t, s in zip(times, sent))
    typical = delays[len(delays) // 2]
    return {"lost": 0, "delivered_late": sum(d - typical > period_s + LATE for d in delays)}


if __name__ == "__main__":
    args = sys.argv[1:]
    opts = dict(zip(args[3::2], args[4::2]))
    main(args[0], float(args[1]), args[2], float(opts.get("--jitter", 0.5)), int(opts.get("--seed", 1)))
