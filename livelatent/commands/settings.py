"""Settings and their flags: below the command line an error names each setting it is about
(a function's keyword, a ShowConfig field) in backquotes, and the main one in `setting`;
printed by the command line, each quoted setting becomes its flag.

    message(DeviceError("OSC port 127.0.0.1:9331: cannot listen; choose another with `osc_port`",
                        setting="osc_port"))
    # -> "OSC port 127.0.0.1:9331: cannot listen; choose another with --osc-port"

A setting is spelled as its flag without the dashes, underscores for hyphens; FLAGS lists the
few that are spelled otherwise.
"""

from __future__ import annotations

import re

QUOTED = re.compile(r"`([a-z][a-z0-9_]*)`")  # a setting as an error below the command line names it
FLAGS = {
    "class_idx": "--class",
    "count": "-n",
    "out": "-o",
}


def from_preset(exc: Exception, keys: dict[str, str]) -> Exception:
    """The error again, naming the preset's key instead of the flag when the setting's value
    came from the preset: keys maps such settings to e.g. "[bank] source in presets/mine.toml"."""
    setting = getattr(exc, "setting", None)
    if setting not in keys:
        return exc
    quoted = f"`{setting}`"
    text = str(exc)
    return type(exc)(text.replace(quoted, keys[setting]) if quoted in text else f"{text} ({keys[setting]})")


def flag_for(setting: str) -> str:
    return FLAGS.get(setting, "--" + setting.replace("_", "-"))


def message(exc: Exception) -> str:
    """The error's message with each setting it quotes said as its flag; the flag of its
    `setting` added at the end when the message does not quote it."""
    text, setting = str(exc), getattr(exc, "setting", None)
    if setting and f"`{setting}`" not in text:
        text = f"{text} ({flag_for(setting)})"
    return QUOTED.sub(lambda m: flag_for(m.group(1)), text)
