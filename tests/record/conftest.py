"""Fixtures for recording tests: the live side's real UDP port and JACK server, reused as is."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("livelatent_live_fixtures", Path(__file__).parents[1] / "live" / "conftest.py")
_live = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_live)

free_udp_port = _live.free_udp_port
jack_server = _live.jack_server
