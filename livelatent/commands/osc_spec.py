"""`livelatent osc-spec`: the OSC and MIDI reference, printed from the table of actions.

    livelatent osc-spec          # Markdown: the addresses, what each takes and does, its key,
                                 # the feedback a panel receives, and the MIDI targets

docs/osc-midi.md holds the same text (a test keeps them equal), so the reference cannot drift
from what the show does.
"""

from __future__ import annotations


def add_arguments(parser) -> None:
    pass


def run(args) -> int:
    print(reference(), end="")
    return 0


def reference() -> str:
    from livelatent.instrument.actions import ACTIONS, OSC_PREFIX
    from livelatent.instrument.addresses import targets
    from livelatent.live.feedback import EVENT_ONLY, STATE

    lines = ["| action | OSC address | arguments | key | does |", "|---|---|---|---|---|"]
    for action in ACTIONS.values():
        addresses = ", ".join(f"`{OSC_PREFIX}/{route.address}`" for route in action.osc) or "(none)"
        keys = " / ".join(k for k in (action.key, action.keys) if k)
        cells = (f"`{action.name}`", addresses, action.args, keys, action.does)
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    feedback = ", ".join(f"`{OSC_PREFIX}/{address}`" for address in (*STATE, *EVENT_ONLY))
    return "\n".join([
        *lines, "",
        f"Feedback (`--osc-feedback HOST:PORT`): {feedback}, `{OSC_PREFIX}/fps` once a second and "
        f"`{OSC_PREFIX}/error` (text).", "",
        "MIDI targets (a `target` of `[[midi.cc]]` / `[[midi.note]]` in a preset, or MIDI learn): "
        + ", ".join(f"`{t}`" for t in targets()) + ".", ""])
