"""Presets: TOML files documented by example; every mistake named by file, key and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from livelatent.errors import PresetError
from livelatent.instrument.mapping import MidiBinding, midi_event
from livelatent.instrument.presets import PROJECT_PRESETS, Preset, append_learned, load_preset


@pytest.mark.parametrize("path", sorted(PROJECT_PRESETS.glob("*.toml")), ids=lambda p: p.name)
def test_every_shipped_preset_loads(path):
    assert load_preset(path).path == path


def test_default_preset_spells_out_the_built_in_defaults():
    shipped, builtin = load_preset("default"), Preset()
    assert (shipped.motion, shipped.noise, shipped.bank, shipped.osc, shipped.display, shipped.record) == \
        (builtin.motion, builtin.noise, builtin.bank, builtin.osc, builtin.display, builtin.record)


def test_nanokontrol2_faders_knobs_and_buttons():
    m = load_preset("korg-nanokontrol2").midi.map
    assert str(midi_event(m, "cc", 1, 1, 127)) == "motion('damping', 1.0, 'norm')"
    assert str(midi_event(m, "cc", 1, 16, 127)) == "motion('settle_time', 0.5, 'norm')"
    assert str(midi_event(m, "cc", 1, 35, 127)) == "keyframe(3, 1.0)"
    assert str(midi_event(m, "cc", 1, 66, 127)) == "store(2)"
    assert str(midi_event(m, "cc", 1, 45, 127)) == "record.toggle()"


def test_apc_mini_pads_and_faders():
    m = load_preset("akai-apc-mini-mk2").midi.map
    assert str(midi_event(m, "note_on", 1, 63, 127)) == "keyframe(63, 1.0)"
    assert str(midi_event(m, "cc", 1, 48, 0)) == "motion('settle_time', 0.0, 'norm')"
    assert str(midi_event(m, "note_on", 1, 112, 127)) == "keyframe.random()"


@pytest.mark.parametrize("text, message", [
    ("[motion]\nsettle = 2\n", "[motion]: key 'settle': expected one of damping, mover, noise"),
    ("[motion]\nsettle_time = 99.0\n", "[motion] motion parameter settle_time: expected a number in 0.05..30"),
    ("[motion]\nmover = 'zigzag'\n", "expected one of geodesic, smooth, spring"),
    ("[osc]\nport = 'x'\n", "[osc] port: expected int, got 'x'"),
    ("[[midi.cc]]\ncc = 200\ntarget = 'noise'\n", "[midi.cc] entry 1: cc: expected 0..127, got 200"),
    ("[[midi.cc]]\ncc = 2\ntarget = 'wobble'\n", "[midi.cc] entry 1: target 'wobble': expected one of"),
    ("[[midi.cc]]\ncc = 2\ntarget = 'noise'\ncurve = 'cubic'\n", "curve 'cubic': expected one of linear, exp, log"),
    ("[[midi.note]]\nnote = 2\ntarget = 'hud'\nchannel = 17\n", "channel: expected 1..16, got 17"),
    ("[display]\nhud = 1\n", "[display] hud: expected bool, got 1"),
    ("colour = 'red'\n", "top level: key 'colour': expected one of"),
    ("[motion\n", "not valid TOML"),
], ids=lambda v: v if "\n" not in v else v.split("\n")[0])
def test_mistakes_name_file_key_and_what_is_allowed(tmp_path, text, message):
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(PresetError) as err:
        load_preset(path)
    assert str(err.value).startswith(str(path)) and message in str(err.value)


def test_learned_binding_is_appended_and_wins(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(Path(PROJECT_PRESETS / "korg-nanokontrol2.toml").read_text())
    append_learned(path, MidiBinding("cc", 0, "noise"))
    assert str(midi_event(load_preset(path).midi.map, "cc", 1, 0, 127)) == "noise(1.0)"
    assert "# Korg nanoKONTROL2" in path.read_text()  # comments stay


def test_missing_preset_says_where_it_looked():
    with pytest.raises(PresetError, match="preset nosuch: not found"):
        load_preset("nosuch")
