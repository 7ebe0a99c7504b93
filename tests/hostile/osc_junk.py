"""Hostile OSC datagrams, drawn from a seeded generator: what a broken controller, a
TouchDesigner patch gone wrong or an attacker on the network would send.

    rng = random.Random(7)
    data = junk(rng)                    # one datagram of a random kind
    data = KINDS["deep bundle"](rng)    # one of a named kind

Run as a script it floods ports in phases (the benchmark's junk sender):

    python tests/hostile/osc_junk.py PORT,PORT,... RATE PHASE_SECONDS [FADER_PORT FADER_RATE]

sending RATE junk datagrams a second (the small kinds) to the i-th PORT during the i-th phase
(0: none) and, with FADER_PORT, a real fader on /livelatent/motion/damping throughout, with
distinct values 1/1000, 2/1000, ...; it prints its start (time.perf_counter) at once, then
the junk datagrams sent to each port, the fader values sent with their send times and the
CPU seconds the sending took (drawing the junk beforehand left out), as JSON lines.
"""

from __future__ import annotations

import collections
import json
import random
import socket
import struct
import sys
import time

from pythonosc.osc_bundle_builder import IMMEDIATELY, OscBundleBuilder
from pythonosc.osc_message_builder import OscMessageBuilder

D = 512  # the default model's z size
PACE = 0.005  # seconds between the flood's sends (50 datagrams each at 10,000/s): the receiver reads every
# 10 ms under a flood anyway, and a sender waking 1,000 times a second cost the show on 2 shared cores
ADDRESSES = ["/livelatent/keyframe", "/livelatent/keyframe/3", "/livelatent/keyframe/random", "/livelatent/z",
             "/livelatent/store", "/livelatent/store/5", "/livelatent/motion/damping",
             "/livelatent/motion/settle_time/raw", "/livelatent/motion/mover", "/livelatent/noise",
             "/livelatent/snapshot", "/livelatent/grid", "/livelatent/hud"]
HOSTILE_VALUES = [float("nan"), float("inf"), -float("inf"), 1e308, -1e308, 5e-324, 0.0, -1, 2**31 - 1, -2**31,
                  2**63 - 1, True, False, None, "", "three", "\u202e\x1b[2J", b"\x00\x01\x02", 1e9, 64, 65]


def message(address: str, *args) -> bytes:
    builder = OscMessageBuilder(address)
    for arg in args:
        builder.add_arg(arg, _wide_type(arg))
    return builder.build().dgram


def _wide_type(value) -> str | None:
    """Doubles and 64-bit ints where a float32 or int32 cannot hold the value; else inferred."""
    if isinstance(value, float) and abs(value) > 3.4e38 and value == value and abs(value) != float("inf"):
        return OscMessageBuilder.ARG_TYPE_DOUBLE
    if isinstance(value, int) and not isinstance(value, bool) and not -2**31 <= value < 2**31:
        return OscMessageBuilder.ARG_TYPE_INT64
    return None


def bundle(*contents: bytes) -> bytes:
    """A bundle of ready datagrams (messages or bundles), immediate time tag."""
    body = b"".join(struct.pack(">i", len(c)) + c for c in contents)
    return b"#bundle\0" + struct.pack(">Q", IMMEDIATELY) + body


def valid(rng: random.Random) -> bytes:
    """A well-formed control message (no record or learn: the fuzzed show keeps its take)."""
    address = rng.choice(ADDRESSES)
    if address == "/livelatent/z":
        return message(address, *(rng.gauss(0, 1) for _ in range(D)))
    if address in ("/livelatent/keyframe", "/livelatent/store", "/livelatent/snapshot"):
        return message(address, rng.randrange(64))
    return message(address, rng.random())


def _random_bytes(rng):
    return bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 600)))


def _truncated(rng):
    data = valid(rng)
    return data[: rng.randrange(len(data))]


def _bit_flips(rng):
    data = bytearray(valid(rng))
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(data))
        data[i] ^= 1 << rng.randrange(8)
    return bytes(data)


def _deep_bundle(rng):
    data = message("/livelatent/hud", 1)
    for _ in range(rng.choice([9, 100, 1100, 3000])):
        data = bundle(data)
    return data


def _malformed_bundle(rng):
    inner = message("/livelatent/keyframe", 3)
    size = rng.choice([-4, -16, -2**31, 0, 3, len(inner) + 1, 2**31 - 1])
    return b"#bundle\0" + struct.pack(">Q", 1) + struct.pack(">i", size) + inner[: rng.randrange(len(inner) + 1)]


def _wrong_types(rng):
    address = rng.choice(ADDRESSES)
    count = rng.choice([0, 1, 2, 3, 7, 1000])
    return message(address, *(rng.choice(HOSTILE_VALUES[:-2]) for _ in range(count)))


def _non_finite(rng):
    address = rng.choice(ADDRESSES)
    if address == "/livelatent/z":
        values = [rng.gauss(0, 1) for _ in range(D)]
        values[rng.randrange(D)] = rng.choice([float("nan"), float("inf"), 1e38])
        return message(address, *values)
    return message(address, rng.choice([float("nan"), float("inf"), -float("inf"), 3.4e38]))


def _huge_address(rng):
    return message("/livelatent/" + "a" * rng.choice([100, 5000, 60000]), 1.0)


def _unicode_address(rng):
    tail = rng.choice(["ключ", "\u202eevil", "\x1b[31mred", "键/帧", "\ud7ff", "🎛️/fader", "\x00hidden"])
    try:
        return message("/livelatent/" + tail, 1.0)
    except Exception:  # noqa: BLE001 - the builder refuses some: send the raw bytes instead
        return ("/livelatent/" + tail).encode("utf-8", "surrogatepass") + b"\0\0\0,f\0\0" + struct.pack(">f", 1.0)


def _bad_type_tags(rng):
    tags = rng.choice([b",xyz", b"," + b"[" * 50, b",]]]", b",iiiiiiii", b"noComma", b",s"])
    address = b"/livelatent/keyframe\0\0\0\0"
    return address + tags + b"\0" * (4 - len(tags) % 4) + bytes(rng.getrandbits(8) for _ in range(rng.randrange(16)))


def _outside(rng):
    return message(rng.choice(["/", "/livelatent", "/other/app", "/livelatentX/hud", "/LIVELATENT/hud"]), 1.0)


KINDS = {"random bytes": _random_bytes, "truncated": _truncated, "bit flips": _bit_flips,
         "deep bundle": _deep_bundle, "malformed bundle": _malformed_bundle, "wrong types": _wrong_types,
         "nan and inf": _non_finite, "huge address": _huge_address, "unicode address": _unicode_address,
         "bad type tags": _bad_type_tags, "outside the space": _outside}
SMALL = ("random bytes", "truncated", "bit flips", "malformed bundle", "bad type tags", "outside the space",
         "unicode address")  # the flood's kinds: a sender can send 10,000 of these a second


def junk(rng: random.Random, kinds=tuple(KINDS)) -> bytes:
    return KINDS[rng.choice(kinds)](rng)


def applies(data: bytes) -> bool:
    """Whether the show would apply anything in this datagram (a bit flip may leave a valid
    control): the flood sends only junk that is dropped, so what it measures is the cost of
    dropping it, and no junk ever moves the fader it is meant to crowd out."""
    from livelatent.live.osc_datagrams import BadDatagram, read_datagram
    from livelatent.instrument.mapping import osc_event

    try:
        messages = read_datagram(data)
    except BadDatagram:
        return False
    for address, params in messages:
        try:
            if osc_event(address, params, D) is not None:
                return True
        except Exception:  # noqa: BLE001 - refused: junk
            pass
    return False


def flood(ports: list[int], phase: float, rate: int, fader_port: int = 0, fader_rate: float = 0.0,
          seed: int = 1) -> dict:
    """Junk at `rate` datagrams/s to ports[i] during phase i (each `phase` seconds long; port 0:
    none), pre-drawn so that drawing it costs the sender nothing during the flood, and only junk
    the show drops; a fader at `fader_rate` messages/s to fader_port throughout. Prints its start
    (time.perf_counter) as a JSON line at once, so a benchmark can time its phases."""
    rng = random.Random(seed)
    pool = []
    while len(pool) < 4096:
        data = junk(rng, SMALL)
        if not applies(data):
            pool.append(data)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sent, to, faders, t0, cpu = 0, collections.Counter(), [], time.perf_counter(), time.process_time()
    print(json.dumps({"start": t0}), flush=True)
    while (elapsed := time.perf_counter() - t0) < phase * len(ports):
        while fader_rate and len(faders) < elapsed * fader_rate:
            value = (len(faders) + 1) / 1000
            faders.append((value, time.perf_counter()))  # CLOCK_MONOTONIC: comparable across processes
            sock.sendto(message("/livelatent/motion/damping", value), ("127.0.0.1", fader_port))
        port = ports[int(elapsed / phase)]
        due = int(elapsed * rate)
        while sent < due:
            if port:
                try:
                    sock.sendto(pool[sent % len(pool)], ("127.0.0.1", port))
                    to[port] += 1
                except OSError:
                    pass  # e.g. ICMP refused from an earlier datagram: a flood does not care
            sent += 1
        time.sleep(PACE)
    return {"sent": dict(to), "faders": faders, "cpu": time.process_time() - cpu}


if __name__ == "__main__":
    ports, rate, phase, *fader = sys.argv[1:]
    print(json.dumps(flood([int(p) for p in ports.split(",")], float(phase), int(rate),
                           *(int(fader[0]), float(fader[1])) if fader else ())))
