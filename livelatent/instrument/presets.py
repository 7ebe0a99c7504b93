"""Presets: TOML files in presets/ holding mover parameters, the bank, OSC and MIDI mappings.

Defaults live in the dataclasses below; a preset names only what it changes. Every wrong key
or value is a PresetError naming the file, the key and what is allowed:

    presets/mine.toml: [midi.cc] entry 2: key 'targte': expected one of cc, target, channel, ...

    preset = load_preset("presets/korg-nanokontrol2.toml")
    preset.motion, preset.bank, preset.osc, preset.midi.map, preset.display, preset.record
    append_learned(preset.path, binding)   # MIDI learn: the binding is added to the file
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from livelatent.common import values
from livelatent.common.files import write_text
from livelatent.common.output_spec import OutputSpec
from livelatent.errors import ControlMessageError, LivelatentError, PresetError
from livelatent.instrument.mapping import CURVES, MidiBinding, MidiMap, NoteBlock
from livelatent.instrument.led_map import BUTTON_STATES, PAD_STATES, Button, Pads
from livelatent.instrument.takeover import ENCODINGS, MODES, TAKEOVERS
from livelatent.instrument.music_presets import AudioSettings, TempoSettings, audio_settings, tempo_settings
from livelatent.instrument.addresses import check_target
from livelatent.motion.params import MotionParams

SCHEMA_VERSION = 1
PROJECT_PRESETS = Path(__file__).resolve().parents[2] / "presets"


@dataclass(frozen=True)
class BankSettings:
    seed: int = 0          # random slots are keyed by (seed, slot); also the performance's seed
    source: str = ""       # ZSEQ[:frames] or a saved bank NAME.npy; empty = all random
    slots: int = 64


@dataclass(frozen=True)
class OscSettings:
    host: str = "127.0.0.1"
    port: int = 9331
    feedback: str = ""     # HOST:PORT for state feedback; empty = none
    allow: tuple = ()      # sender IPs accepted; empty = any
    query: bool = True     # OSCQuery: the address space with types, ranges and values over HTTP
    query_port: int = 0    # its TCP port; 0 = the OSC port's number


@dataclass(frozen=True)
class MidiSettings:
    input: str = ""        # partial port name, or "virtual:NAME"; empty = no MIDI
    map: MidiMap = field(default_factory=MidiMap)
    feedback: tuple = ()   # LEDs: led_map.Pads and led_map.Button entries ([[midi.feedback]])


@dataclass(frozen=True)
class DisplaySettings:
    fps: float = 60.0      # display frame grid when not recording
    hud: bool = True
    size: str = "256x256"  # decode size WxH
    console: str = "auto"  # the operator console: "auto" (a window show, unless fullscreen on the only monitor), "on", "off"


@dataclass(frozen=True)
class RecordSettings:
    fps: str = "30"
    proxy_size: str = ""   # WxH; empty = the decode size


@dataclass(frozen=True)
class OutputSettings:
    spec: OutputSpec       # [[output]] spec = "ndi:stage@1280x720" (the form of --output)
    enabled: bool = True   # false: it starts off (/livelatent/output/<name>/enable 1 turns it on)


@dataclass(frozen=True)
class Preset:
    path: Path | None = None
    motion: MotionParams = field(default_factory=MotionParams)
    noise: float = 0.0
    bank: BankSettings = field(default_factory=BankSettings)
    osc: OscSettings = field(default_factory=OscSettings)
    midi: MidiSettings = field(default_factory=MidiSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    record: RecordSettings = field(default_factory=RecordSettings)
    outputs: tuple[OutputSettings, ...] = ()
    tempo: TempoSettings = field(default_factory=TempoSettings)
    audio: AudioSettings = field(default_factory=AudioSettings)


def load_preset(path: str | Path | None) -> Preset:
    """Read a preset file; a bare name looks in presets/ ("korg-nanokontrol2")."""
    if path is None:
        return Preset()
    p = _find(Path(path))
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PresetError(f"{p}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise PresetError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    return from_dict(data, p)


def _find(p: Path) -> Path:
    for candidate in (p, PROJECT_PRESETS / p, PROJECT_PRESETS / f"{p}.toml"):
        if candidate.is_file():
            return candidate
    raise PresetError(f"preset {p}: not found (looked in . and {PROJECT_PRESETS})")


def from_dict(data: dict, path: Path | None = None) -> Preset:
    where = str(path or "preset")
    _keys(data, {"schema_version", "motion", "bank", "osc", "midi", "display", "record", "output", "tempo",
                 "audio"}, where, "top level")
    if data.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
        raise PresetError(f"{where}: schema_version {data['schema_version']!r}; this livelatent reads {SCHEMA_VERSION}")
    motion = _section(data.get("motion", {}), MotionParams, where, "motion", extra={"noise": 0.0})
    noise = motion.pop("noise", 0.0)
    if not 0 <= noise <= 1:
        raise PresetError(f"{where}: [motion] noise: expected a number in 0..1, got {noise!r}")
    try:
        params = MotionParams(**motion)
    except LivelatentError as exc:
        raise PresetError(f"{where}: [motion] {exc}") from None
    osc = _section(data.get("osc", {}), OscSettings, where, "osc")
    osc["allow"] = tuple(osc.get("allow", ()))
    preset = Preset(path=path, motion=params, noise=float(noise),
                    bank=BankSettings(**_section(data.get("bank", {}), BankSettings, where, "bank")),
                    osc=OscSettings(**osc), midi=_midi(data.get("midi", {}), where),
                    display=DisplaySettings(**_section(data.get("display", {}), DisplaySettings, where, "display")),
                    record=RecordSettings(**_section(data.get("record", {}), RecordSettings, where, "record")),
                    outputs=_outputs(data.get("output", []), where),
                    tempo=tempo_settings(data.get("tempo", {}), where, _section),
                    audio=audio_settings(data.get("audio", {}), where, _section))
    _check_values(preset, where)
    return preset


# settings whose values the command line checks too, with the same checks (values.py)
_VALUES = {("display", "size"): values.size, ("display", "fps"): values.display_fps, ("record", "fps"): values.rate,
           ("record", "proxy_size"): values.size, ("osc", "host"): values.host, ("osc", "port"): values.port, ("osc", "query_port"): values.port,
           ("osc", "feedback"): values.host_port, ("bank", "seed"): values.seed, ("bank", "slots"): values.slots}


CONSOLE_CHOICES = ("auto", "on", "off")


def _check_values(preset: Preset, where: str) -> None:
    """Each setting in range as its flag would be (an empty string means "none" / "default")."""
    if preset.display.console not in CONSOLE_CHOICES:
        raise PresetError(f"{where}: [display] console: expected one of {', '.join(CONSOLE_CHOICES)}, "
                          f"got {preset.display.console!r}")
    settings = [(section, key, getattr(getattr(preset, section), key)) for section, key in _VALUES]
    settings.append(("osc", "allow", ",".join(preset.osc.allow)))
    for section, key, value in settings:
        if value == "":
            continue
        try:
            (values.ip_list if key == "allow" else _VALUES[section, key])(value)
        except values.Refused as exc:
            raise PresetError(f"{where}: [{section}] {key}: {exc}") from None


def _outputs(entries, where: str) -> tuple[OutputSettings, ...]:
    if not isinstance(entries, list):
        raise PresetError(f"{where}: [[output]]: expected entries, each [[output]] with spec = \"ndi:NAME\"")
    outputs = []
    for i, entry in enumerate(entries, 1):
        _keys(entry, {"spec", "enabled"}, where, f"[[output]] entry {i}")
        enabled = entry.get("enabled", True)
        if not isinstance(enabled, bool):
            raise PresetError(f"{where}: [[output]] entry {i}: enabled: expected true or false, got {enabled!r}")
        try:
            outputs.append(OutputSettings(values.output_spec(entry.get("spec", "")), enabled))
        except values.Refused as exc:
            raise PresetError(f"{where}: [[output]] entry {i}: spec: {exc}") from None
    return tuple(outputs)


def _keys(table, allowed, where: str, what: str) -> None:
    if not isinstance(table, dict):
        raise PresetError(f"{where}: {what}: expected a table")
    for key in table:
        if key not in allowed:
            raise PresetError(f"{where}: {what}: key {key!r}: expected one of {', '.join(sorted(allowed))}")


def _section(table: dict, cls, where: str, name: str, extra: dict | None = None) -> dict:
    """Check a table's keys and value types against a dataclass's fields and defaults."""
    defaults = {**{f.name: f.default for f in fields(cls)}, **(extra or {})}
    _keys(table, set(defaults), where, f"[{name}]")
    table = dict(table)
    for key, value in table.items():
        want = type(defaults[key])
        if want is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = table[key] = str(value)  # fps = 30 means "30"
        ok = isinstance(value, want) or (want is float and isinstance(value, int)) or \
            (want is tuple and isinstance(value, list))
        if not ok or isinstance(value, bool) != (want is bool):
            raise PresetError(f"{where}: [{name}] {key}: expected {want.__name__}, got {value!r}")
    return table


_CC_KEYS = {"cc", "target", "channel", "min", "max", "curve", "invert", "takeover", "mode", "encoding", "quantise"}
_NOTE_KEYS = {"note", "target", "channel", "quantise"}
_BLOCK_KEYS = {"first_note", "count", "first_slot", "velocity", "channel", "quantise"}


def _midi(table: dict, where: str) -> MidiSettings:
    _keys(table, {"input", "cc", "note", "notes", "feedback"}, where, "[midi]")
    bindings = [_binding(e, "cc", i, where) for i, e in enumerate(table.get("cc", []), 1)]
    bindings += [_binding(e, "note", i, where) for i, e in enumerate(table.get("note", []), 1)]
    blocks = []
    for i, e in enumerate(table.get("notes", []), 1):
        _keys(e, _BLOCK_KEYS, where, f"[midi.notes] entry {i}")
        fields_ = {k: (_channel(v, where, "notes", i) if k == "channel" else v) for k, v in e.items()}
        fields_["quantise"] = _quantise(e, where, f"[midi.notes] entry {i}")
        blocks.append(NoteBlock(**fields_))
    name = table.get("input", "")
    if not isinstance(name, str):
        raise PresetError(f"{where}: [midi] input: expected a port name (string), got {name!r}")
    feedback = tuple(_feedback(e, name, i, where) for i, e in enumerate(table.get("feedback", []), 1))
    return MidiSettings(input=name, map=MidiMap(tuple(bindings), tuple(blocks)), feedback=feedback)


_PADS_KEYS = {"output", "first_note", "count", "first_slot", *PAD_STATES}
_BUTTON_KEYS = {"output", "note", "cc", "state", "on", "off"}


def _feedback(e: dict, input_name: str, i: int, where: str):
    """One [[midi.feedback]] entry: slot pads (first_note ...) or a button lit by a state."""
    what = f"[midi.feedback] entry {i}"
    pads = isinstance(e, dict) and "first_note" in e
    _keys(e, _PADS_KEYS if pads else _BUTTON_KEYS, where, what)
    output = e.get("output", input_name.removeprefix("virtual:"))
    if not isinstance(output, str) or not output:
        raise PresetError(f"{where}: {what}: output: expected a port name (or a [midi] input to light)")
    if pads:
        numbers = {k: e.get(k, default) for k, default in (("first_note", 0), ("count", 64), ("first_slot", 0))}
        for key, value in numbers.items():
            _midi_number(value, where, what, key, top=128 if key == "count" else 127)
        colours = {state: _pair(e.get(state, [1, 0]), where, what, state) for state in PAD_STATES}
        return Pads(output, numbers["first_note"], numbers["count"], numbers["first_slot"], colours)
    kind = "note" if "note" in e else "cc"
    _midi_number(e.get(kind), where, what, kind)
    state = e.get("state")
    if state not in BUTTON_STATES[:-1] and not (isinstance(state, str) and state.startswith("stored/")
                                                  and state[7:].isdigit()):
        raise PresetError(f"{where}: {what}: state {state!r}: expected one of {', '.join(BUTTON_STATES)}")
    return Button(output, kind, e[kind], state, _pair(e.get("on", [1, 127]), where, what, "on"),
                  _pair(e.get("off", [1, 0]), where, what, "off"))


def _midi_number(value, where: str, what: str, key: str, top: int = 127) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise PresetError(f"{where}: {what}: {key}: expected 0..{top}, got {value!r}")


def _pair(value, where: str, what: str, key: str) -> tuple[int, int]:
    """[channel 1..16, value 0..127]."""
    ok = isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) and not isinstance(v, bool)
                                                             for v in value)
    if not ok or not 1 <= value[0] <= 16 or not 0 <= value[1] <= 127:
        raise PresetError(f"{where}: {what}: {key}: expected [channel 1..16, value 0..127], got {value!r}")
    return tuple(value)


def _binding(e: dict, kind: str, i: int, where: str) -> MidiBinding:
    what = f"[midi.{kind}] entry {i}"
    _keys(e, _CC_KEYS if kind == "cc" else _NOTE_KEYS, where, what)
    number = e.get(kind)
    if not isinstance(number, int) or not 0 <= number <= 127:
        raise PresetError(f"{where}: {what}: {kind}: expected 0..127, got {number!r}")
    curve = e.get("curve", "linear")
    if curve not in CURVES:
        raise PresetError(f"{where}: {what}: curve {curve!r}: expected one of {', '.join(CURVES)}")
    try:
        target = check_target(str(e.get("target", "")))
    except ControlMessageError as exc:
        raise PresetError(f"{where}: {what}: {exc}") from None
    lo, hi = e.get("min", 0.0), e.get("max", 1.0)
    if not all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in (lo, hi)):
        raise PresetError(f"{where}: {what}: min/max: expected numbers in 0..1, got {lo!r}, {hi!r}")
    knob = {key: e.get(key, default) for key, default in (("takeover", "jump"), ("mode", "absolute"),
                                                          ("encoding", "twos-complement"))}
    for key, allowed in (("takeover", TAKEOVERS), ("mode", MODES), ("encoding", ENCODINGS)):
        if knob[key] not in allowed:
            raise PresetError(f"{where}: {what}: {key} {knob[key]!r}: expected one of {', '.join(allowed)}")
    return MidiBinding(kind, number, target, _channel(e.get("channel"), where, kind, i), float(lo), float(hi),
                       curve, bool(e.get("invert", False)), **knob, quantise=_quantise(e, where, what))


def _quantise(e: dict, where: str, what: str) -> str:
    """A binding's own quantise unit ("" = the show's)."""
    if "quantise" not in e:
        return ""
    try:
        return values.quantise(e["quantise"])
    except values.Refused as exc:
        raise PresetError(f"{where}: {what}: quantise: {exc}") from None


def _channel(value, where: str, kind: str, i: int) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or not 1 <= value <= 16:
        raise PresetError(f"{where}: [midi.{kind}] entry {i}: channel: expected 1..16, got {value!r}")
    return value


def append_learned(path: Path, b: MidiBinding) -> None:
    """Add a learned binding at the end of the preset file (later entries win); comments stay."""
    block = f'\n# learned live\n[[midi.{b.kind}]]\n{b.kind} = {b.number}\ntarget = "{b.target}"\n'
    if b.channel is not None:
        block += f"channel = {b.channel}\n"
    text = path.read_text()
    new = text + ("" if text.endswith("\n") else "\n") + block
    from_dict(tomllib.loads(new), path)  # never write a preset that would not load
    write_text(path, new)
