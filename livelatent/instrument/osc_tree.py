"""The OSC address space as an OSCQuery tree (JSON per the OSCQuery proposal), derived from the
table of actions: each route of each action is a node with its FULL_PATH, TYPE (OSC type tags),
RANGE, ACCESS and DESCRIPTION; state addresses carry their current VALUE. live/oscquery.py
serves it over HTTP.

    tree = osc_tree(slots=64, movers=("geodesic", "smooth", "spring"))
    tree["CONTENTS"]["livelatent"]["CONTENTS"]["motion"]["CONTENTS"]["damping"]
    # {"FULL_PATH": "/livelatent/motion/damping", "TYPE": "f", "RANGE": [{"MIN": 0.0, "MAX": 1.0}], "ACCESS": 3, ...}
"""

from __future__ import annotations

from livelatent.common.picture import PSI_RAW
from livelatent.instrument.actions import ACTIONS, ARGS, KNOB, MOTION_PARAMS, OSC_PREFIX, PRESS, TARGET, TOGGLE, Z
from livelatent.motion.params import MotionParams

WRITE, READ_WRITE = 2, 3
UNIT = [{"MIN": 0.0, "MAX": 1.0}]


def _args(action: str, address: str, slots: int, movers) -> tuple[str, list]:
    """(type tags, ranges) of an ARGS route, by what its action takes."""
    slot = {"MIN": 0, "MAX": slots - 1}
    if action == "keyframe":
        return "if", [slot, UNIT[0]]
    if action == "store":
        return "i", [slot]
    if action == "mover":
        return "s", [{"VALS": list(movers)}]
    if action == "motion":  # motion/<param>/raw: the value in its unit
        lo, hi = MotionParams.RANGES[address.split("/")[1]]
        return "f", [{"MIN": lo, "MAX": hi}]
    if action == "model.psi":
        return "f", [{"MIN": PSI_RAW[0], "MAX": PSI_RAW[1]}]
    return "i", [{"MIN": 0}]  # a class, a snapshot


def _leaf(action, route, address: str, slots: int, movers) -> dict:
    form = route.form
    if form == KNOB:
        types, ranges = "f", UNIT
    elif form == PRESS:
        types, ranges = "", []  # bare: a press
    elif form == TOGGLE:
        types, ranges = "i", [{"MIN": 0, "MAX": 1}]
    elif form == TARGET:
        types, ranges = "s", []
    elif form == Z:
        types, ranges = "b", []
    else:
        types, ranges = _args(action.name, address, slots, movers)
    node = {"FULL_PATH": f"{OSC_PREFIX}/{address}", "TYPE": types, "ACCESS": WRITE, "DESCRIPTION": action.does}
    if ranges:
        node["RANGE"] = ranges
    return node


def addresses(slots: int, movers) -> dict[str, dict]:
    """Every OSC address under the prefix (placeholders expanded: each motion knob, each slot) -> its node."""
    out = {}
    for action in ACTIONS.values():
        for route in action.osc:
            expanded = [route.address]
            if "<param>" in route.address:
                expanded = [route.address.replace("<param>", p) for p in MOTION_PARAMS]
            elif "<n>" in route.address:
                expanded = [route.address.replace("<n>", str(n)) for n in range(slots)] \
                    if action.name in ("keyframe", "store") else []
            for address in expanded:
                out[address] = _leaf(action, route, address, slots, movers)
    return out


def osc_tree(*, slots: int, movers, values: dict | None = None) -> dict:
    """The OSCQuery root node; values: address -> current value (state the show sends back),
    added as VALUE, those nodes read-write."""
    root = {"FULL_PATH": "/", "CONTENTS": {}}
    for address, leaf in addresses(slots, movers).items():
        node = root
        path = ""
        for part in (OSC_PREFIX.strip("/") + "/" + address).split("/"):
            path += "/" + part
            node = node.setdefault("CONTENTS", {}).setdefault(part, {"FULL_PATH": path})
        node.update(leaf)
        if values and address in values:
            node["VALUE"] = [values[address]]
            node["ACCESS"] = READ_WRITE
    return root
