"""Fixtures for the hostile tests: the live side's real UDP port, JACK server and panel, reused.

LIVELATENT_HOSTILE=full runs the long versions (the 1,000-note MIDI load, a longer fuzz);
the default run keeps a fixed, smaller subset of each.
"""

import importlib.util
import shutil
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("livelatent_live_fixtures", Path(__file__).parents[1] / "live" / "conftest.py")
_live = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_live)

free_udp_port = _live.free_udp_port
jack_server = _live.jack_server
osc_listener = _live.osc_listener
OscListener = _live.OscListener


@pytest.fixture
def restartable_jack(monkeypatch):
    if shutil.which("jackd") is None:
        pytest.fail("jackd not installed: ./setup.sh --test installs jackd2")
    server = _live.JackServer()
    monkeypatch.setenv("JACK_DEFAULT_SERVER", server.name)
    monkeypatch.setenv("LIVELATENT_MIDI_API", "UNIX_JACK")
    try:
        yield server.start()
    finally:
        server.stop()
