"""A pretend band: a JACK client in its own process playing a generated song (a click track
over a tone sweep, tests/live/songs.py) from an output port.

    python tests/live/audio_player.py NAME SECONDS BPM

Prints {"ready": true} once its port exists, waits for a line on stdin, plays, and prints
{"cycles": [[perf_counter at the cycle, first sample of the cycle], ...], "period": frames,
"clicks": [click times in the song, seconds]}.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time

os.environ.setdefault("JACK_NO_START_SERVER", "1")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

import jack  # noqa: E402

from tests.live import songs  # noqa: E402


def main(name: str, seconds: float, bpm: float) -> None:
    samples, clicks = songs.song(seconds, bpm)
    client = jack.Client(name, no_start_server=True)
    port = client.outports.register("out")
    state = {"playing": False, "at": 0, "cycles": []}
    done = threading.Event()

    def process(frames):
        out = port.get_array()
        out[:] = 0
        if not state["playing"]:
            return
        i = state["at"]
        part = samples[i:i + frames]
        out[:len(part)] = part
        state["cycles"].append((time.perf_counter(), i))
        state["at"] = i + frames
        if state["at"] >= len(samples):
            state["playing"] = False
            done.set()

    client.set_process_callback(process)
    client.activate()
    print(json.dumps({"ready": True}), flush=True)
    if sys.stdin.readline().strip() != "go":  # "quit" or stdin closed: leave the server cleanly
        client.deactivate()
        client.close()
        return
    state["playing"] = True
    done.wait(seconds + 10)
    time.sleep(0.2)
    print(json.dumps({"cycles": state["cycles"], "period": client.blocksize, "rate": client.samplerate,
                      "clicks": [float(c) for c in clicks]}), flush=True)
    client.deactivate()
    client.close()


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]))
