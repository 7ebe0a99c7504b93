"""A pretend drum machine: a MIDI clock source on a virtual JACK MIDI port, in its own process.

    python tests/live/midi_clock_source.py NAME BPM SCRIPT [--jitter MS] [--seed N]

SCRIPT is a comma-separated list of steps: "start", "stop", "continue", "spp:SIXTEENTHS",
"wait:SECONDS" (no pulses, the port open), "beats:N" (N beats of 24 pulses; while stopped the
pulses go on, as a real clock's do). Pulses are sent at their musical instant plus Gaussian
jitter (the "realistic jitter" of a USB MIDI clock: a fraction of a millisecond). Prints one
JSON line per beat that started while playing, {"beat": B, "t": perf_counter seconds}, the
beat's true instant without the jitter, {"ready": true} once the port exists, and at the end
{"late": N, "pulses": M}: how many of its M pulses went out more than LATE after their instant (on a machine too
busy to run this process on time the test plays again).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time

import mido

LATE = 0.002  # a pulse sent this much after its instant: this process was not scheduled in time


def sleep_until(t: float) -> None:
    while True:
        left = t - time.perf_counter()
        if left <= 0:
            return
        time.sleep(left - 0.001 if left > 0.002 else 0)


def main(name: str, bpm: float, script: str, jitter_ms: float = 0.5, seed: int = 1) -> None:
    try:  # a drum machine keeps its own time, whatever the computer is doing: first in line, where allowed
        os.nice(-15)
    except OSError:
        pass
    rng = random.Random(seed)
    out = mido.Backend("mido.backends.rtmidi/UNIX_JACK", load=True).open_output(name, virtual=True)
    print(json.dumps({"ready": True}), flush=True)
    sys.stdin.readline()  # the test connects, then says go
    period = 60.0 / bpm / 24
    t = time.perf_counter() + 0.2
    playing, song_pulse, late, pulses = False, 0, 0, 0
    for step in script.split(","):
        kind, _, arg = step.partition(":")
        if kind in ("start", "stop", "continue", "spp"):
            sleep_until(t - period / 2)  # between two pulses, as a sequencer sends them
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
                sleep_until(due)
                out.send(mido.Message("clock"))
                late += time.perf_counter() - due > LATE
                pulses += 1
                song_pulse += playing
                t += period
    print(json.dumps({"late": late, "pulses": pulses}), flush=True)
    time.sleep(0.3)
    out.close()


if __name__ == "__main__":
    args = sys.argv[1:]
    opts = dict(zip(args[3::2], args[4::2]))
    main(args[0], float(args[1]), args[2], float(opts.get("--jitter", 0.5)), int(opts.get("--seed", 1)))
