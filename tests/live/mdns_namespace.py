"""Run inside a network namespace the test made (`unshare --net`): a show with OSC open beyond
loopback, and a zeroconf browser beside it. Prints one JSON line: what the browser saw.

It first checks the namespace has nothing but `lo` (else exit 3: nothing is announced), then
brings `lo` up with multicast and a route for mDNS's group, starts the show as a subprocess,
browses until both services resolve, ends the show (SIGTERM, as `timeout` would) and waits for
their goodbyes.

    unshare --net -- python tests/live/mdns_namespace.py RECORDINGS_DIR
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time

from zeroconf import ServiceBrowser, ServiceStateChange, Zeroconf

TYPES = ("_osc._udp.local.", "_oscjson._tcp.local.")
OSC_PORT = 9331
WAIT = 60.0


def only_loopback() -> bool:
    return [name for _, name in socket.if_nameindex()] == ["lo"]


def wait_for(cond, timeout: float = WAIT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not cond():
        time.sleep(0.05)
    return cond()


def main(recordings: str) -> int:
    if not only_loopback():
        print(json.dumps({"error": f"interfaces {socket.if_nameindex()}: not a loopback-only namespace"}))
        return 3
    for command in ("ip link set lo up", "ip link set lo multicast on", "ip route add 224.0.0.0/4 dev lo"):
        subprocess.run(command.split(), check=True)
    zc, seen, states = Zeroconf(), {}, []

    def changed(zeroconf, service_type, name, state_change):
        states.append([name, state_change.name])
        if state_change is ServiceStateChange.Added:
            info = zeroconf.get_service_info(service_type, name, timeout=3000)
            if info is not None:
                seen[service_type] = {"name": name, "port": info.port, "addresses": info.parsed_addresses(),
                                      "properties": {k.decode(): (v or b"").decode() for k, v in info.properties.items()}}

    browsers = [ServiceBrowser(zc, t, handlers=[changed]) for t in TYPES]
    show = subprocess.Popen([sys.executable, "-m", "livelatent", "perform", "--headless", "--size", "32x32",
                             "--osc-host", "0.0.0.0", "--osc-port", str(OSC_PORT), "--recordings", recordings,
                             "--duration", str(WAIT)], stderr=subprocess.PIPE, text=True)
    try:
        found = wait_for(lambda: len(seen) == len(TYPES))
        show.send_signal(signal.SIGTERM)
        _, err = show.communicate(timeout=30)
        gone = wait_for(lambda: sum(state == "Removed" for _, state in states) >= len(TYPES), 10)
    finally:
        if show.poll() is None:
            show.kill()
        for browser in browsers:
            browser.cancel()
        zc.close()
    print(json.dumps({"found": found, "seen": seen, "states": states, "gone": gone, "stderr": err[-3000:],
                      "status": show.returncode}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
