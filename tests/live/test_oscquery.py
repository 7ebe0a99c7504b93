"""OSCQuery over HTTP on loopback: the address space with types, ranges and current values,
derived from the table of actions; a value changed by OSC shows up in the next answer."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import urllib.error
from pathlib import Path
import urllib.request

import pytest
from pythonosc.osc_message import OscMessage
from pythonosc.udp_client import SimpleUDPClient

from livelatent.live.websocket import BINARY, accept_key
from tests.hostile.until import wait_until
from tests.live.conftest import arrives
from tests.live.shows import headless_show, play


def get(port: int, path: str):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
        return json.loads(answer.read())


def test_oscquery_lists_every_address_with_types_ranges_and_values(tmp_path, free_udp_port):
    s = headless_show(tmp_path, osc_port=free_udp_port)
    client, seen = SimpleUDPClient("127.0.0.1", free_udp_port), {}
    port = s.oscquery.address[1]

    def read_after_noise():
        arrives(s.app.bus, lambda: client.send_message("/livelatent/noise", 0.25))

    def look():
        seen["root"], seen["info"] = get(port, "/"), get(port, "/?HOST_INFO")
        seen["noise"] = get(port, "/livelatent/noise?VALUE")
        with pytest.raises(urllib.error.HTTPError) as missing:
            get(port, "/livelatent/nothing")
        seen["missing"] = missing.value.code

    play(s, 0.6, {0.2: read_after_noise, 0.5: look})
    assert port == free_udp_port and s.announced is None  # OSC's number, over TCP; loopback: no mDNS
    assert seen["info"]["OSC_PORT"] == free_udp_port and seen["info"]["OSC_TRANSPORT"] == "UDP"
    top = seen["root"]["CONTENTS"]["livelatent"]["CONTENTS"]
    damping = top["motion"]["CONTENTS"]["damping"]
    assert (damping["TYPE"], damping["RANGE"], damping["ACCESS"]) == ("f", [{"MIN": 0.0, "MAX": 1.0}], 3)
    assert damping["CONTENTS"]["raw"]["RANGE"] == [{"MIN": 0.1, "MAX": 4.0}] and damping["CONTENTS"]["raw"]["VALUE"] == [1.0]
    assert top["keyframe"]["TYPE"] == "if" and set(top["keyframe"]["CONTENTS"]) == {*map(str, range(64)), "random", "next"}
    assert top["keyframe"]["CONTENTS"]["37"]["FULL_PATH"] == "/livelatent/keyframe/37"
    assert top["z"]["TYPE"] == "b" and top["record"]["CONTENTS"]["toggle"]["TYPE"] == ""
    assert seen["noise"] == {"VALUE": [0.25]} and seen["missing"] == 404


# ---- LISTEN: a WebSocket client over loopback, as TouchDesigner or Chataigne opens one ----

def ws_open(port: int):
    """The client's side of the handshake, on plain sockets; the buffered reader of the answer."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
    rfile = sock.makefile("rb")
    head = [rfile.readline()]
    while head[-1] not in (b"\r\n", b""):
        head.append(rfile.readline())
    assert head[0].startswith(b"HTTP/1.1 101") and f"Sec-WebSocket-Accept: {accept_key(key)}".encode() in b"".join(head)
    return sock, rfile


def ws_command(sock, verb: str, path: str) -> None:
    """A masked text frame, as every client frame must be."""
    payload, mask = json.dumps({"COMMAND": verb, "DATA": path}).encode(), os.urandom(4)
    sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))


def ws_receive(rfile) -> tuple[int, bytes]:
    first, second = rfile.read(2)
    n = second if second < 126 else int.from_bytes(rfile.read(2), "big")
    return first & 0x0F, rfile.read(n)


def test_websocket_handshake_answers_the_rfc_example():
    assert accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="  # RFC 6455 section 1.3


def test_a_listener_gets_each_value_it_listens_to_as_it_changes_and_nothing_after_ignore(tmp_path, free_udp_port):
    s = headless_show(tmp_path, osc_port=free_udp_port)
    osc, listeners, got, ws = SimpleUDPClient("127.0.0.1", free_udp_port), s.oscquery.listeners, [], {}

    def subscribe(*commands):
        for verb, path in commands:
            ws_command(ws["sock"], verb, path)
        wanted = {path for verb, path in commands if verb == "LISTEN"}
        assert wait_until(lambda: [set(paths) for paths in listeners._clients.values()] == [wanted])

    def listen():
        ws["sock"], ws["rfile"] = ws_open(s.oscquery.address[1])
        ws_command(ws["sock"], "NONSENSE", "")  # one line on the console; the connection stays
        subscribe(("LISTEN", "/livelatent/noise"))

    def receive():
        opcode, payload = ws_receive(ws["rfile"])
        message = OscMessage(payload)
        got.append((opcode, message.address, message.params))

    def send(address, value):
        return lambda: arrives(s.app.bus, lambda: osc.send_message(address, value))

    play(s, 1.3, {0.2: listen,
                  0.3: send("/livelatent/noise", 0.25),
                  0.5: receive,
                  0.6: lambda: subscribe(("IGNORE", "/livelatent/noise"), ("LISTEN", "/livelatent/motion/damping")),
                  0.7: send("/livelatent/noise", 0.5),
                  1.0: send("/livelatent/motion/damping", 1.0),
                  1.2: receive},
         after=lambda: ws.get("sock") and ws["sock"].close())
    assert s.oscquery.answer("/", "HOST_INFO")["EXTENSIONS"]["LISTEN"] is True
    assert got[0] == (BINARY, "/livelatent/noise", [0.25])
    assert got[1] == (BINARY, "/livelatent/motion/damping", [1.0])  # the noise that changed before it: ignored
    assert any("WebSocket command" in line for line in s.app.log.lines)


# ---- mDNS: only inside a network namespace this test makes, with nothing but loopback ----

def can_unshare_the_network() -> str:
    """'' where this test may make a network namespace, else why not."""
    if not shutil.which("unshare") or not shutil.which("ip"):
        return "needs unshare and ip (util-linux, iproute2)"
    if subprocess.run(["unshare", "--net", "true"], capture_output=True).returncode != 0:
        return "cannot make a network namespace here (unshare --net needs root or CAP_SYS_ADMIN)"
    return ""


@pytest.mark.skipif(bool(can_unshare_the_network()), reason=can_unshare_the_network() or "-")
def test_osc_beyond_loopback_is_announced_over_mdns_and_withdrawn_at_the_end(tmp_path):
    """The show (`--osc-host 0.0.0.0`) and a zeroconf browser, both inside a namespace holding
    only `lo` (tests/live/mdns_namespace.py checks that before anything is sent)."""
    script = Path(__file__).with_name("mdns_namespace.py")
    done = subprocess.run(["unshare", "--net", "--", sys.executable, str(script), str(tmp_path)],
                          capture_output=True, text=True, timeout=180, cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stdout + done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["found"] and seen["status"] == 0, seen
    assert seen["seen"]["_osc._udp.local."]["port"] == 9331
    query = seen["seen"]["_oscjson._tcp.local."]
    assert query["port"] == 9331 and query["properties"] == {"osc_port": "9331"} and query["addresses"] == ["127.0.0.1"]
    assert seen["gone"], seen["states"]  # the show's end said goodbye for both
