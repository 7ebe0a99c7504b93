"""Where a junk flood's CPU goes in the OSC process: its cost per datagram, kind by kind.

    .venv/bin/python benchmarks/bench_osc_receiver.py [--seconds 3] [--rate 10000] [--rounds 2]
    cd /tmp && PYTHONPATH=OLD_CHECKOUT /path/to/.venv/bin/python /path/to/benchmarks/bench_osc_receiver.py

One OSC receiver (the show's, without the show) and, in the same run, phases of `--seconds`
each sending `--rate` datagrams a second of one kind: each of the junk kinds the flood
benchmark sends (tests/hostile/osc_junk.py), their mix, and a real fader's valid messages.
Prints, per kind, the OSC process's CPU per datagram, in Python (user) and in system calls,
read from /proc, and its ratio to the mix's. Run from outside the checkout against older code:
the receiver's process imports livelatent from where the show's came from.
"""

from __future__ import annotations

import argparse
import random
import socket
import sys
import time
from pathlib import Path

from livelatent.live.bus import ControlBus
from livelatent.live.osc import OscReceiver
from proc_cpu import process_cpu  # benchmarks/, beside this script

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "hostile"))
from osc_junk import KINDS, SMALL, applies, message  # noqa: E402 - the fuzzer's own kinds

POOL = 2048


def pools(seed: int = 1) -> dict[str, list[bytes]]:
    """Pre-drawn datagrams of each kind (only junk the show drops), the mix, and a fader's."""
    rng = random.Random(seed)
    found = {kind: _draw(lambda: KINDS[kind](rng)) for kind in SMALL}
    found["the mix"] = _draw(lambda: KINDS[rng.choice(SMALL)](rng))
    found["a real fader"] = [message("/livelatent/motion/damping", i / POOL) for i in range(POOL)]
    return found


def _draw(make) -> list[bytes]:
    pool = []
    while len(pool) < POOL:
        data = make()
        if not applies(data):
            pool.append(data)
    return pool


def phase(osc: OscReceiver, pool: list[bytes], args) -> tuple[float, float, int]:
    """(user, system) CPU seconds of the OSC process while `pool` goes at args.rate for
    args.seconds (and a moment after, while it reads the last), and the datagrams sent."""
    sock, target = socket.socket(socket.AF_INET, socket.SOCK_DGRAM), osc.address
    before, received, sent, start = process_cpu(osc._process.pid), osc.datagrams, 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < args.seconds:
        while sent < elapsed * args.rate:
            sock.sendto(pool[sent % len(pool)], target)
            sent += 1
        time.sleep(0.005)
    deadline = time.monotonic() + 5
    while osc.datagrams - received < sent and time.monotonic() < deadline:
        time.sleep(0.05)
    after = process_cpu(osc._process.pid)
    sock.close()
    return after[0] - before[0], after[1] - before[1], sent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rate", type=int, default=10_000, help="datagrams per second")
    parser.add_argument("--rounds", type=int, default=2, help="of every kind, interleaved")
    args = parser.parse_args()
    found, used = pools(), {}
    osc = OscReceiver(ControlBus(), host="127.0.0.1", port=0, d=512).start()
    try:
        for _ in range(args.rounds):
            for kind, pool in found.items():
                user, system, sent = phase(osc, pool, args)
                u, s, n = used.get(kind, (0.0, 0.0, 0))
                used[kind] = (u + user, s + system, n + sent)
            osc.bus.drain()
    finally:
        osc.close()
    mix = sum(used["the mix"][:2]) / used["the mix"][2]
    print(f"the OSC process's CPU per datagram at {args.rate:,}/s, {args.rounds} x {args.seconds:g} s of each kind:")
    for kind, (user, system, sent) in used.items():
        print(f"  {kind:<18} {1e6 * (user + system) / sent:5.1f} us (Python {1e6 * user / sent:4.1f}, "
              f"system calls {1e6 * system / sent:4.1f}); {(user + system) / sent / mix:.2f}x the mix")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
