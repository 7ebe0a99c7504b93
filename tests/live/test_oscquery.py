"""OSCQuery over HTTP on loopback: the address space with types, ranges and current values,
derived from the table of actions; a value changed by OSC shows up in the next answer."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from pythonosc.udp_client import SimpleUDPClient

from livelatent.commands.perform import show_config
from livelatent.live.loop_clock import ManualClock
from livelatent.live.session import build_session
from tests.live.conftest import arrives


def get(port: int, path: str):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
        return json.loads(answer.read())


def test_oscquery_lists_every_address_with_types_ranges_and_values(tmp_path, free_udp_port):
    s = build_session(show_config(["--headless", "--size", "32x32", "--osc-port", str(free_udp_port),
                                   "--recordings", str(tmp_path / "rec")]), clock=ManualClock())
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

    s.app.clock.at(0.2, read_after_noise)
    s.app.clock.at(0.5, look)
    try:
        s.app.run(duration=0.6)
    finally:
        s.close()
    assert port == free_udp_port and s.oscquery._announcer is None  # OSC's number, over TCP; loopback: no mDNS
    assert seen["info"]["OSC_PORT"] == free_udp_port and seen["info"]["OSC_TRANSPORT"] == "UDP"
    top = seen["root"]["CONTENTS"]["livelatent"]["CONTENTS"]
    damping = top["motion"]["CONTENTS"]["damping"]
    assert (damping["TYPE"], damping["RANGE"], damping["ACCESS"]) == ("f", [{"MIN": 0.0, "MAX": 1.0}], 3)
    assert damping["CONTENTS"]["raw"]["RANGE"] == [{"MIN": 0.1, "MAX": 4.0}] and damping["CONTENTS"]["raw"]["VALUE"] == [1.0]
    assert top["keyframe"]["TYPE"] == "if" and set(top["keyframe"]["CONTENTS"]) == {*map(str, range(64)), "random", "next"}
    assert top["keyframe"]["CONTENTS"]["37"]["FULL_PATH"] == "/livelatent/keyframe/37"
    assert top["z"]["TYPE"] == "b" and top["record"]["CONTENTS"]["toggle"]["TYPE"] == ""
    assert seen["noise"] == {"VALUE": [0.25]} and seen["missing"] == 404
