"""Whether a show opens the operator console, and on which monitor.

A performer with a projector puts the output there (`monitor` 1, fullscreen) and wants the
console on the laptop's screen; a performer rehearsing on one screen wants both windows side
by side; a show fullscreen on the only monitor must stay clean (the console would cover it,
or hide behind it); a headless show has no screen unless it is asked for (under Xvfb, say).

    wants_console("auto", headless=False, fullscreen=True, monitors=2, installed=True)   # True
    console_monitor(output_monitor=1, monitors=2)                                        # 0
"""

from __future__ import annotations


def wants_console(choice: str, *, headless: bool, fullscreen: bool, monitors: int, installed: bool) -> bool:
    """choice: "on", "off" or "auto" (on for a window show, unless fullscreen on the only monitor)."""
    if choice != "auto":
        return choice == "on"
    return installed and not headless and not (fullscreen and monitors <= 1)


def console_monitor(output_monitor: int | None, monitors: int) -> int | None:
    """The monitor the console opens on: another than the output's where there are two or more."""
    if monitors < 2:
        return None
    output = output_monitor or 0
    return 0 if output != 0 else 1
