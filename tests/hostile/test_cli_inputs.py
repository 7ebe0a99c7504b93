"""Hostile command lines and hostile files through `livelatent`, the way a user types them:
every one is refused with one line naming the thing and what was expected, exit status 1
or 2, no traceback, before any model loads, and nothing is written or overwritten.
"""

import argparse
import contextlib
import importlib.util
import json
import os
import sys
import threading
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from livelatent import cli, generators

from livelatent.common import values, zseq
from livelatent.common.latent import sample
from livelatent.common.zseq import SIDECAR_FIELDS, ZSequence

# the conform tests' project writer, by path: tests/conform is a package of its own
_writer = importlib.util.spec_from_file_location("hostile_kdenlive_writer",
                                                 Path(__file__).parents[1] / "conform" / "kdenlive_writer.py")
kdenlive_writer = sys.modules["hostile_kdenlive_writer"] = importlib.util.module_from_spec(_writer)
_writer.loader.exec_module(kdenlive_writer)


def livelatent(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, argv, code, fragment):
    got, out, err = livelatent(capsys, *argv)
    lines = err.strip().splitlines()
    assert "Traceback" not in err and len(lines) == 1, lines
    assert got == code and fragment in lines[0], (got, lines[0])
    return lines[0]


@pytest.fixture
def no_model_loads(monkeypatch):
    """Limits are checked before anything loads: a model load here fails the test."""
    def load(*args, **kwargs):
        raise AssertionError("a model was loaded before the command line was checked")
    monkeypatch.setattr(generators, "load", load)
    monkeypatch.setattr("livelatent.live.session.build_session", load)


@pytest.fixture
def reel(tmp_path):
    zseq.save(ZSequence(sample(6, 512, 1), 30, {"id": "reel", "model": "default", "made_by": "samples"}),
              tmp_path / "reel")
    return tmp_path / "reel"


# ---- every flag of every command, with values no one should be able to pass ----

FLAGS = [
    ("samples --size 100000x100000", "--size '100000x100000': expected a size"),
    ("samples --size 20000", "--size '20000': expected a size such as 512 or 1280x720: even sides, at most 8192x4352"),
    ("samples --size 33", "--size '33'"), ("samples --size 0", "--size '0'"), ("samples --size=-2x4", "--size '-2x4'"),
    ("samples --size 2x2x2", "--size '2x2x2'"), ("samples -n 10000000", "-n '10000000': expected a number of frames"),
    ("samples -n 0", "-n '0'"), ("samples -n x", "-n 'x'"), ("samples --seed -1", "--seed '-1': expected a whole number"),
    ("samples --seed 18446744073709551616", "--seed '18446744073709551616'"), ("samples --seed nan", "--seed 'nan'"),
    ("samples --fps 0", "--fps '0': expected a frame rate"), ("samples --fps -30", "--fps '-30'"),
    ("samples --fps nan", "--fps 'nan'"), ("samples --fps inf", "--fps 'inf'"), ("samples --fps 1e-300", "--fps '1e-300'"),
    ("samples --fps 100000", "--fps '100000'"), ("samples --fps 30/0", "--fps '30/0'"),
    ("samples -o ''", "-o/--out '': expected a path naming the output"), ("samples -o /", "-o/--out '/'"),
    ("samples -o out/", "-o/--out 'out/'"), ("samples --batch 0", "--batch '0': expected frames decoded at once"),
    ("samples --batch 100000", "--batch '100000'"), ("samples --psi nan", "--psi 'nan': expected a finite number"),
    ("samples --class -1", "--class '-1'"), ("samples --keys 2", "unrecognized arguments: --keys 2"),
    ("journeys {reel} --frames 1000000000", "--frames '1000000000': expected a number of frames from 2"),
    ("journeys {reel} --frames 1", "--frames '1'"), ("journeys {reel} -n 0", "-n '0': expected a number of journeys"),
    ("journeys {reel} -n 100000", "-n '100000'"), ("journeys {reel} --noise -1", "--noise '-1': expected a number from 0 to 1"),
    ("journeys {reel} --noise 2", "--noise '2'"), ("journeys {reel} --noise nan", "--noise 'nan'"),
    ("journeys {reel} --keys 4", "--keys: invalid choice: 4"), ("journeys {reel} --interp warp", "--interp: invalid choice"),
    ("journeys {reel} --seed -1", "--seed '-1'"), ("journeys {reel} -o ''", "-o/--out ''"),
    ("render {reel} --fps 0", "--fps '0'"), ("render {reel} --size 20000", "--size '20000'"),
    ("render {reel} --batch -1", "--batch '-1'"), ("render {reel} --grid 0x3", "--grid '0x3'"),
    ("render {reel} --grid 8x8 --size 2048", "--grid 8x8 of --size 2048x2048: 16384x16384: larger than"), ("render {reel} -o ''", "-o/--out ''"),
    ("render {reel} --fps 1000", "--fps 1000: 200 frames"),  # resampled beyond nothing: fine; see below
    ("path {reel} --durations 10000000", "--durations: 1,500,000,001 frames; at most 1,000,000"),
    ("path {reel} --durations nan", "--durations 'nan': expected comma-separated numbers"),
    ("path {reel} --durations=-1", "expected a non-negative number of seconds"), ("path {reel} --durations 0", "times must increase"),
    ("path {reel} --times 0,nan,2,3,4,5", "--times '0,nan,2,3,4,5'"),
    ("path {reel} --times 0,1,2,3,4,1e300", "--times: 3"), ("path {reel} --fps 0", "--fps '0'"),
    ("path {reel} --oversample 1", "--oversample '1'"), ("path {reel} --oversample 1000", "--oversample '1000'"),
    ("path {reel} --settle-time nan", "settle_time: expected a number in 0.05..30"),
    ("path {reel} --pick x", "--pick: expected frame numbers like 0,12,40-48, got 'x'"),
    ("path {reel} --pick 99", "--pick: expected frames in 0..5, got '99'"), ("path {reel} -o ''", "-o/--output ''"),
    ("plot-path {reel} --max-rows 0", "--max-rows '0'"), ("plot-path {reel} --radius -1", "--radius '-1'"),
    ("plot-path {reel} --radius nan", "--radius 'nan'"), ("plot-path {reel} -o ''", "-o/--output ''"),
    ("perform --duration nan", "--duration 'nan': expected seconds"), ("perform --duration 0", "--duration '0'"),
    ("perform --duration=-1", "--duration '-1'"), ("perform --duration 1e100", "--duration '1e100'"),
    ("perform --osc-port 70000", "--osc-port '70000': expected a UDP port"), ("perform --osc-port -1", "--osc-port '-1'"),
    ("perform --oscquery-port 70000", "--oscquery-port '70000': expected a"),
    ("perform --osc-allow garbage", "--osc-allow 'garbage': expected IP addresses"),
    ("perform --osc-allow 127.0.0.1,", "--osc-allow '127.0.0.1,'"),
    ("perform --osc-host example.com", "--osc-host 'example.com': expected an IP address"),
    ("perform --osc-feedback nocolon", "--osc-feedback 'nocolon': expected HOST:PORT"),
    ("perform --osc-feedback 127.0.0.1:99999", "--osc-feedback '127.0.0.1:99999'"),
    ("perform --fps 0", "--fps '0': expected frames per second"), ("perform --fps nan", "--fps 'nan'"),
    ("perform --proxy-size 33x33", "--proxy-size '33x33'"), ("perform --size 100000", "--size '100000'"),
    ("perform --seed -1", "--seed '-1'"), ("perform --record-fps 0", "--record-fps '0'"),
    ("perform --monitor -1", "--monitor '-1'"), ("perform --autopilot 0", "--autopilot '0'"),
    ("perform --autopilot nan", "--autopilot 'nan'"), ("perform --recordings ''", "--recordings ''"),
    ("replay take-x --fps 0", "--fps '0'"), ("replay take-x --size 33", "--size '33'"),
    ("replay take-x -o ''", "-o/--out ''"), ("conform {tmp}/edit.kdenlive -o {tmp}/e --report ''", "--report ''"),
    ("conform {tmp}/edit.kdenlive -o ''", "-o/--out ''"), ("conform {tmp}/edit.kdenlive -o {tmp}/e --search ''", "--search ''"),
    ("conform {tmp}/edit.kdenlive -o {tmp}/e --fps 0", "--fps '0'"),
    ("stills {reel} --all --size 33", "--size '33'"), ("stills {reel} --all --batch 0", "--batch '0'"),
    ("stills {reel} --all -o ''", "-o/--out ''"), ("stills {reel} --frames 99", "--frames: expected frames in 0..5, got '99'"),
    ("takes --recordings ''", "--recordings ''"), ("recover --recordings ''", "--recordings ''"),
    ("proxies take-x --recordings ''", "--recordings ''"), ("nosuchcommand", "invalid choice: 'nosuchcommand'"),
    ("render {reel} --ray=nowhere", "--ray 'nowhere': expected a Ray cluster"),
    ("render {reel} --ray=10.0.0.1:99999", "--ray '10.0.0.1:99999'"), ("render {reel} --workers 0", "--workers '0'"),
    ("render {reel} --chunk 0", "--chunk '0': expected frames per chunk"), ("replay take-x --retries -1", "--retries '-1'"),
    ("render {reel} --depth 12", "--depth: invalid choice: 12"), ("render {reel} --join copy", "--join: invalid choice"),
    ("perform --bpm 1000", "--bpm '1000': expected a tempo in BPM"), ("perform --quantise soon", "--quantise 'soon'"),
    ("perform --autopilot 0bar", "--autopilot '0bar'"), ("perform --settle-beats -1", "--settle-beats '-1'"),
    ("perform --audio-file ''", "--audio-file '': expected a path"),
]
FLAGS = [(line, fragment) for line, fragment in FLAGS if "--fps 1000" not in line]


@pytest.mark.parametrize("line, fragment", FLAGS, ids=[line for line, _ in FLAGS])
def test_a_hostile_flag_is_one_line_before_anything_loads(reel, tmp_path, capsys, no_model_loads, line, fragment):
    argv = [a.strip("'") for a in line.format(reel=reel, tmp=tmp_path).split(" ")]
    if "-o" not in argv and "--output" not in argv and argv[0] in ("samples", "journeys", "render", "path",
                                                                   "plot-path", "replay", "conform", "stills"):
        argv += ["-o", tmp_path / ("x.png" if argv[0] == "plot-path" else "x")]
    refused(capsys, argv, 2, fragment)
    assert not (tmp_path / "x.npy").exists() and not (tmp_path / "x.png").exists()


# Flags whose text is free (a model spec, a path, frame lists parsed with their input): each is
# checked where it is used; the cases below and the model loaders' own tests attack them.
FREE_TEXT = {"--preset", "--model", "--device", "--bank", "--save-bank", "--midi", "--event-log", "--pick",
             "--stylegan-repo", "--snapshots", "--labels", "--frames", "--keys", "--durations", "--times",
             "--sequence", "--settle-time", "--damping", "--shell-stiffness", "--speed-limit",
             "--clock", "--audio"}  # MIDI / sound inputs by name, like --midi


def test_every_flag_of_every_command_is_checked_as_it_is_parsed():
    """Derived from the parsers themselves: a new flag needs a type from livelatent.common.values,
    a list of choices, or a place in FREE_TEXT (and a case here)."""
    for name in cli.COMMANDS:
        parser = cli.build_parser(name)
        (command,) = [a.choices[name] for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        for action in command._actions:
            if action.nargs == 0 or not action.option_strings:
                continue
            typed = getattr(action.type, "__module__", None) == values.__name__ or action.choices
            assert typed or action.option_strings[-1] in FREE_TEXT, f"livelatent {name} {action.option_strings}"


TYPES = [name for name, f in vars(values).items() if callable(f) and not isinstance(f, type)
         and getattr(f, "__module__", None) == values.__name__ and not name.startswith("_")]


@pytest.mark.parametrize("type_name", TYPES)
def test_a_value_type_refuses_anything_with_its_own_error(type_name):
    """Whatever text reaches a type, it returns a value or raises its own error (which the
    command line hands to argparse): never another exception (a traceback), never a hang."""
    for text in HOSTILE_TEXT:
        try:
            getattr(values, type_name)(text)
        except values.Refused as exc:
            assert "\n" not in str(exc) and len(str(exc)) < 300


HOSTILE_TEXT = ["", " ", "-1", "0", "nan", "-nan", "inf", "-inf", "1e400", "1e-400", "99999999999999999999999",
                "0x10", "1_000", "١٢", "3/0", "0/0", "1/3", "30000/1001", "x" * 10000, "\x00", "a,b", ",", ":",
                "::1", "127.0.0.1:", ":80", "[::1]:80", "8192x4352", "8194x4352", "2x2", "-2x-2", "1x", "x1", "ＳＳ"]


FREE_TEXT_CASES = [
    ("plot-path {reel} -o {tmp}/p.png --keys=-5,99999999999999999999", 2,
     "--keys: expected frame numbers like 0,12,40-48, got '-5,99999999999999999999'"),
    ("plot-path {reel} -o {tmp}/p.png --keys x", 2, "--keys: expected frame numbers like 0,12,40-48, got 'x'"),
    ("stills {reel} --frames=-1 -o {tmp}/s", 2, "--frames: expected frame numbers like 0,12,40-48, got '-1'"),
    ("stills {reel} --frames x -o {tmp}/s", 2, "--frames: expected frame numbers like 0,12,40-48, got 'x'"),
    ("journeys {reel} --pick ;;; -o {tmp}/j", 2, "--pick: expected frame numbers like 0,12,40-48, got ';;;'"),
    ("journeys {reel} --pick 1 -o {tmp}/j", 2, "a journey from a single frame needs --noise"),
    ("samples -o {tmp}/x --model os:system", 1, "model 'os:system': the factory failed (TypeError"),
    ("samples -o {tmp}/x --model math:nope", 1, "cannot import the factory"),
    ("render {reel} -o {tmp}/x --device tpu", 2, "--device tpu: expected one of"),
]


@pytest.mark.parametrize("line, code, fragment", FREE_TEXT_CASES, ids=[c[0].split(" -o")[0] + c[0].split("}")[-1]
                                                                        for c in FREE_TEXT_CASES])
def test_a_hostile_free_text_flag_is_one_line(reel, tmp_path, capsys, line, code, fragment):
    refused(capsys, line.format(reel=reel, tmp=tmp_path).split(), code, fragment)


def test_keyframes_in_a_sidecar_outside_the_sequence_are_one_line(reel, tmp_path, capsys):
    js = reel.with_suffix(".json")
    js.write_text(json.dumps({**json.loads(js.read_text()), "keyframe_frames": [0, 10**20]}))
    refused(capsys, ["plot-path", reel, "-o", tmp_path / "p.png"], 1, "reel.json: keyframe_frames: frame 1000")


def test_a_resample_that_cannot_fit_is_refused_before_the_model(reel, tmp_path, capsys, no_model_loads):
    long = tmp_path / "long"
    zseq.save(ZSequence(np.zeros((100_000, 2), np.float32) + 1, Fraction(1, 100), {"id": "long"}), long)
    refused(capsys, ["render", long, "--fps", "1000", "-o", tmp_path / "x"], 2,
            "--fps 1000: 10,000,000,000 frames; at most 1,000,000")


PRESET_VALUES = [("display", "size", '"100000x100000"'), ("display", "size", '"33x33"'), ("display", "fps", "0"),
                 ("record", "fps", '"0"'), ("record", "proxy_size", '"31x31"'), ("osc", "port", "70000"),
                 ("osc", "host", '"example.com"'), ("osc", "feedback", '"nocolon"'), ("osc", "allow", '["garbage"]'),
                 ("bank", "seed", "-1"), ("bank", "slots", "100000000")]


@pytest.mark.parametrize("section, key, value", PRESET_VALUES, ids=[f"{s}.{k}={v}" for s, k, v in PRESET_VALUES])
def test_a_preset_cannot_say_what_a_flag_may_not(tmp_path, capsys, no_model_loads, section, key, value):
    preset = tmp_path / "mine.toml"
    preset.write_text(f"[{section}]\n{key} = {value}\n")
    refused(capsys, ["devices", "--preset", preset], 1, f"mine.toml: [{section}] {key}: ")


# ---- z-sequence files broken in every way a file can be ----

def _npy_header(path, shape, descr="<f4"):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %r, }" % (descr, shape)
    header += " " * (63 - len(header) % 64) + "\n"
    path.write_bytes(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode() + bytes(64))


def _broken(kind):
    """(how to break reel.npy / reel.json, what the one line says)"""
    return {
        "0-rows": (lambda npy, js: (np.save(npy, np.zeros((0, 512), np.float32)),
                                    js.write_text(json.dumps({"fps": "30"}))), "no frames; expected a z-sequence"),
        "0-bytes": (lambda npy, js: npy.write_bytes(b""), "not a numpy array file"),
        "huge-header": (lambda npy, js: _npy_header(npy, (10**9, 512)), "more than 1,000,000 rows"),
        "header-lies": (lambda npy, js: _npy_header(npy, (1000, 512)), "but the file holds 64"),
        "truncated": (lambda npy, js: npy.write_bytes(npy.read_bytes()[:-10]), "but the file holds"),
        "object": (lambda npy, js: np.save(npy, np.array([[{"x": 1}]], dtype=object), allow_pickle=True),
                   "dtype object, not real numbers"),
        "complex": (lambda npy, js: np.save(npy, np.ones((2, 512), np.complex64)), "dtype complex64"),
        "strings": (lambda npy, js: np.save(npy, np.array([["a"] * 512])), "not real numbers"),
        "bool": (lambda npy, js: np.save(npy, np.ones((2, 512), bool)), "dtype bool"),
        "nan-row": (lambda npy, js: np.save(npy, np.full((6, 512), np.nan, np.float32)), "NaN or infinite value in row 0"),
        "inf-row": (lambda npy, js: np.save(npy, np.full((6, 512), np.inf, np.float32)), "NaN or infinite"),
        "3-d": (lambda npy, js: np.save(npy, np.ones((6, 2, 256), np.float32)), "got shape (6, 2, 256)"),
        "1-d": (lambda npy, js: np.save(npy, np.ones(512, np.float32)), "got shape (512,)"),
        "not-npy": (lambda npy, js: npy.write_text("hello"), "not a numpy array file"),
        "npy-folder": (lambda npy, js: (npy.unlink(), npy.mkdir()), "a folder, not a regular file"),
        "npy-device": (lambda npy, js: (npy.unlink(), npy.symlink_to("/dev/zero")), "a device, not a regular file"),
        "json-not-json": (lambda npy, js: js.write_text("{"), "reel.json: not valid JSON"),
        "json-a-list": (lambda npy, js: js.write_text("[]"), "expected a JSON object, got list"),
        "json-deep": (lambda npy, js: js.write_text("[" * 100_000 + "]" * 100_000), "nested too deeply"),
        "json-binary": (lambda npy, js: js.write_bytes(b"\xff\xfe\x00"), "not valid JSON"),
        "json-fps-zero": (lambda npy, js: js.write_text(json.dumps({"fps": "0"})), "fps '0' is not a rate"),
        "json-fps-huge": (lambda npy, js: js.write_text(json.dumps({"fps": "1e9"})), "fps '1e9' is not a rate"),
        "json-missing": (lambda npy, js: js.unlink(), "metadata sidecar missing"),
    }[kind]


BROKEN = ["0-rows", "0-bytes", "huge-header", "header-lies", "truncated", "object", "complex", "strings", "bool",
          "nan-row", "inf-row", "3-d", "1-d", "not-npy", "npy-folder", "npy-device", "json-not-json", "json-a-list",
          "json-deep", "json-binary", "json-fps-zero", "json-fps-huge", "json-missing"]
READERS = ["render {reel} -o {tmp}/x", "journeys {reel} -o {tmp}/j", "plot-path {reel} -o {tmp}/x.png",
           "path {reel} -o {tmp}/x", "path {reel}.npy --pick 0,1 -o {tmp}/x", "stills {reel} --all -o {tmp}/s"]


@pytest.mark.parametrize("command", READERS, ids=[c.split()[0] + ("-keys" if "--pick" in c else "") for c in READERS])
@pytest.mark.parametrize("kind", BROKEN)
def test_a_broken_z_sequence_is_one_line_naming_the_file(reel, tmp_path, capsys, no_model_loads, kind, command):
    if kind.startswith("json") and command.startswith("path"):
        pytest.skip("path reads a .npy without a sidecar as a plain (k, d) array of keyframes")
    npy, js = reel.with_suffix(".npy"), reel.with_suffix(".json")
    if "--pick" in command and kind != "json-missing":
        js.unlink()  # a plain (k, d) array of keyframes
    damage, fragment = _broken(kind)
    damage(npy, js)
    line = refused(capsys, command.format(reel=reel, tmp=tmp_path).split(), 1, fragment)
    assert "reel." in line
    assert not (tmp_path / "x.npy").exists() and not (tmp_path / "j").exists()


@pytest.mark.parametrize("field", list(SIDECAR_FIELDS))
def test_a_sidecar_field_of_the_wrong_type_is_one_line_naming_it(reel, tmp_path, capsys, no_model_loads, field):
    js = reel.with_suffix(".json")
    js.write_text(json.dumps({**json.loads(js.read_text()), field: {"wrong": ["type"]}}))
    refused(capsys, ["render", reel, "-o", tmp_path / "x"], 1, f"reel.json: {field} ")


def test_a_zero_row_clip_stops_the_conform(tmp_path, capsys):
    clip = kdenlive_writer.Clip(1, Path("c1.mkv"), 10, Fraction(25))
    zseq.save(ZSequence(np.zeros((0, 8), np.float32), 25, {"id": "c1"}), tmp_path / "c1")
    (tmp_path / "edit.kdenlive").write_text(
        kdenlive_writer.timeline2(Fraction(25), [kdenlive_writer.Lanes([kdenlive_writer.Cut(clip, 0, 4)])]))
    refused(capsys, ["conform", tmp_path / "edit.kdenlive", "-o", tmp_path / "x"], 1, "c1.npy: no frames")


# ---- outputs are never replaced by surprise ----

def test_an_existing_output_pair_is_refused_unless_forced(reel, tmp_path, capsys):
    for argv in (["samples", "-n", 2, "--size", 32, "-q"], ["render", reel, "--size", 32, "-q"],
                 ["path", reel, "--pick", "0,1"]):
        out = tmp_path / f"{argv[0]}-out"
        assert livelatent(capsys, *argv, "-o", out)[0] == 0
        before = out.with_suffix(".npy").read_bytes()
        refused(capsys, [*argv, "-o", out], 2, f"{out}.npy: already exists; add --force to replace it")
        assert out.with_suffix(".npy").read_bytes() == before
        assert livelatent(capsys, *argv, "-o", out, "--force")[0] == 0
    assert livelatent(capsys, "plot-path", reel, "-o", tmp_path / "p.png")[0] == 0
    refused(capsys, ["plot-path", reel, "-o", tmp_path / "p.png"], 2, "p.png: already exists")
    assert livelatent(capsys, "stills", reel, "--frames", "1,4", "--size", 32, "-o", tmp_path / "s")[0] == 0
    refused(capsys, ["stills", reel, "--frames", "0,4", "-o", tmp_path / "s"], 2, "reel-000004.png: already exists")


def test_an_output_that_is_not_a_regular_file_is_refused_even_with_force(reel, tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.npy")
    (tmp_path / "dir.npy").mkdir()
    for name in ("pipe", "dir"):
        refused(capsys, ["render", reel, "-o", tmp_path / name, "--force"], 2,
                f"{name}.npy: exists and is not a regular file")


def test_an_output_whose_folder_cannot_be_made_is_one_line(reel, tmp_path, capsys):
    (tmp_path / "a-file").write_text("")
    for argv in (["samples", "-n", 2, "-o", tmp_path / "a-file" / "x"], ["render", reel, "-o", tmp_path / "a-file/x"],
                 ["journeys", reel, "-o", tmp_path / "a-file" / "j"], ["plot-path", reel, "-o", tmp_path / "a-file/p.png"]):
        refused(capsys, argv, 2, "a-file is not a folder; choose another output")
    # root may write to /proc as far as access() knows, and fails only on mkdir: one line either way
    refused(capsys, ["plot-path", reel, "-o", "/proc/livelatent-nope/p.png"], 1 if os.geteuid() == 0 else 2,
            "/proc/livelatent-nope")


def test_journeys_into_a_folder_of_older_journeys_refuses_and_force_leaves_none_mixed_in(reel, tmp_path, capsys):
    out = tmp_path / "j"
    assert livelatent(capsys, "journeys", reel, "-n", 3, "--frames", 3, "--size", 32, "-o", out, "-q")[0] == 0
    assert len(list(out.glob("journey-*.npy"))) == 3
    refused(capsys, ["journeys", reel, "-n", 1, "--frames", 3, "-o", out], 2,
            "holds 9 files of earlier journeys (journey-000.json, ...); add --force")
    assert livelatent(capsys, "journeys", reel, "-n", 1, "--frames", 3, "--size", 32, "-o", out, "-q", "--force")[0] == 0
    assert sorted(p.name for p in out.iterdir()) == ["journey-000.json", "journey-000.mp4", "journey-000.npy"]


# ---- paths that are not regular files, named as inputs: never opened (they would hang) ----

def run_bounded(capsys, fifo, argv, timeout=60):
    """The command on a thread, so that a hang fails the test instead of stalling the run; a
    reader still blocked on the FIFO afterwards is let go (opening it for writing ends its wait)."""
    result = []
    worker = threading.Thread(target=lambda: result.append(cli.main([str(a) for a in argv])), daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(5)
    assert result, f"livelatent {' '.join(map(str, argv))} hung on the FIFO {fifo}"
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert "Traceback" not in err and len(lines) == 1, lines
    return result[0], lines[0]


@pytest.mark.parametrize("case", ["zseq-npy", "zseq-json", "project", "clip", "keys", "model-pt", "take-json",
                                  "preset"])
def test_a_fifo_named_as_input_is_one_line_not_a_hang(reel, tmp_path, capsys, case):
    fifo = tmp_path / {"zseq-npy": "f.npy", "zseq-json": "f.json", "project": "edit.kdenlive", "clip": "c1.mkv",
                       "keys": "k.npy", "model-pt": "m.pt", "take-json": "recordings/take-1/take.json",
                       "preset": "p.toml"}[case]
    fifo.parent.mkdir(parents=True, exist_ok=True)
    if case == "zseq-json":
        np.save(tmp_path / "f.npy", sample(2, 512, 1))
    if case == "clip":
        clip = kdenlive_writer.Clip(1, Path("c1.mkv"), 10, Fraction(25))
        (tmp_path / "edit.kdenlive").write_text(
            kdenlive_writer.timeline2(Fraction(25), [kdenlive_writer.Lanes([kdenlive_writer.Cut(clip, 0, 4)])]))
    os.mkfifo(fifo)
    argv = {"zseq-npy": ["render", tmp_path / "f", "-o", tmp_path / "x"],
            "zseq-json": ["render", tmp_path / "f", "-o", tmp_path / "x"],
            "project": ["conform", fifo, "-o", tmp_path / "x"],
            "clip": ["conform", tmp_path / "edit.kdenlive", "-o", tmp_path / "x"],
            "keys": ["path", fifo, "-o", tmp_path / "x"],
            "model-pt": ["render", reel, "--model", fifo, "-o", tmp_path / "x"],
            "take-json": ["takes", "--recordings", tmp_path / "recordings"],
            "preset": ["devices", "--preset", fifo]}[case]
    code, line = run_bounded(capsys, fifo, argv)
    assert code == (0 if case == "take-json" else 1) and ("a FIFO, not a regular file" in line or "not found" in line), line
