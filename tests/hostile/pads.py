"""A pretend MIDI pad controller in a process of its own, driven over stdin (one command a
line, each answered "ok"), so that tests can pull its cable, crash its JACK server and play it
with exact timing, as a real device would, from outside the show's process:

    note I           the I-th distinct hit: note I % 64, velocity 1 + (I // 64) % 127, then its release
    play START N R   hits START .. START+N-1 at R a second
    unplug / plug    close its port / open it again under the same name
    quit

    python tests/hostile/pads.py NAME      (JACK: LIVELATENT_MIDI_API / JACK_DEFAULT_SERVER as the show)
"""

from __future__ import annotations

import sys
import time

import mido


def hit(i: int) -> tuple[int, int]:
    return i % 64, 1 + (i // 64) % 127


def main(name: str) -> None:
    backend = mido.Backend("mido.backends.rtmidi/UNIX_JACK", load=True)
    port = backend.open_output(name, virtual=True)

    def send(i: int) -> None:
        note, velocity = hit(i)
        port.send(mido.Message("note_on", note=note, velocity=velocity))
        port.send(mido.Message("note_off", note=note))

    print("ok", flush=True)
    for line in sys.stdin:
        command, *args = line.split()
        if command == "note":
            send(int(args[0]))
        elif command == "play":
            start, count, rate = int(args[0]), int(args[1]), float(args[2])
            t0 = time.perf_counter()
            for k in range(count):
                while time.perf_counter() < t0 + k / rate:
                    time.sleep(0.0005)
                send(start + k)
        elif command == "unplug":
            port.close()
        elif command == "plug":
            port = backend.open_output(name, virtual=True)
        elif command == "quit":
            break
        print("ok", flush=True)
    port.close()  # a client that just vanishes makes jackd hang on its own shutdown


if __name__ == "__main__":
    main(sys.argv[1])
