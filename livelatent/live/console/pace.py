"""When the console draws next: soon after the operator's input, and what the show sends
gathered into one drawing at a modest rate.

Every drawing of the console is CPU time the show might have used (on a machine without a GPU,
Mesa's llvmpipe rasterizes it on the cores the model decodes on), so the console draws only
when something changed, and no sooner than the rate for what changed: the operator's mouse and
keyboard at up to INPUT_RATE a second (a slider dragged follows the hand); what the show sends
(a new state, thumbnails, the small picture, the figures) at up to SHOW_RATE, all that arrived
meanwhile in one drawing: a fader streamed over MIDI and the small picture make one drawing, not
one each. Pure: the caller passes the time.

    pace = RedrawPace()
    pace.show()             # a message from the show arrived
    pace.input()            # the mouse moved, a key, a screenshot asked for
    wait = pace.due_in(now) # seconds until a drawing is due (0: now), None: nothing to draw
    pace.drawn(now)
"""

from __future__ import annotations

INPUT_RATE = 30.0  # drawings a second at most while the operator works the console
SHOW_RATE = 8.0  # drawings a second at most for what the show sends (the small picture's rate)
SETTLE_FRAMES = 2  # drawings after an input: ImGui finishes a click or a hover on the next frame


class RedrawPace:
    def __init__(self, *, input_rate: float = INPUT_RATE, show_rate: float = SHOW_RATE) -> None:
        self.input_rate, self.show_rate = input_rate, show_rate
        self.owed = SETTLE_FRAMES  # drawings owed to input (the first: the window opened)
        self.changed = False  # the show sent something not drawn yet
        self.drawn_at = float("-inf")

    def input(self, frames: int = SETTLE_FRAMES) -> None:
        self.owed = max(self.owed, frames)

    def show(self) -> None:
        self.changed = True

    def due_in(self, now: float) -> float | None:
        """Seconds until the next drawing is due (0: now); None while nothing waits to be drawn."""
        if not self.owed and not self.changed:
            return None
        rate = self.input_rate if self.owed else self.show_rate
        return max(0.0, 1.0 / rate - (now - self.drawn_at))

    def drawn(self, now: float) -> None:
        self.drawn_at, self.owed, self.changed = now, max(self.owed - 1, 0), False
