"""A pretend Akai APC mini mk2 in a process of its own, as a real device is outside the show's
process: its pads (a virtual MIDI output) and its LEDs (a virtual MIDI input), on the JACK
server named by JACK_DEFAULT_SERVER. Driven over stdin, one command a line:

    lit      answers one JSON line: each LED's last message, {note: [channel 1-16, velocity]}
    quit     closes its ports (a client that just vanishes makes jackd hang on its own shutdown)

    python tests/hostile/apc_leds.py "APC mini mk2"
"""

from __future__ import annotations

import json
import sys

import mido


def main(name: str) -> None:
    backend = mido.Backend("mido.backends.rtmidi/UNIX_JACK", load=True)
    pads, leds = backend.open_output(name, virtual=True), backend.open_input(name, virtual=True)
    lit: dict[int, list[int]] = {}
    print("ok", flush=True)
    for line in sys.stdin:
        if line.strip() == "quit":
            break
        for m in leds.iter_pending():
            if m.type in ("note_on", "note_off"):
                lit[m.note] = [m.channel + 1, m.velocity if m.type == "note_on" else 0]
        print(json.dumps(lit), flush=True)
    leds.close()
    pads.close()


if __name__ == "__main__":
    main(sys.argv[1])
