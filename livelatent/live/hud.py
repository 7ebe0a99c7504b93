"""The HUD: a few lines of status text rasterised in numpy with the built-in 5x7 font
(common/font.py, the one the grid labels use). hud_lines(...) says what the performer sees;
text_mask() turns lines into a float32 mask (1 = ink) that live/draw.py uploads as a texture. The HUD
is drawn on top of the picture only; recorded frames come from the generator, never from
the screen, so it can never end up in a take.
"""

from __future__ import annotations

import numpy as np

from livelatent.common.font import GLYPH_H, GLYPH_W, glyph

PAD = 1  # each cell is 6x9 pixels


def text_mask(lines: list[str], scale: int = 2) -> np.ndarray:
    """float32 (H, W) mask of the lines, 1 = ink, one pixel border; each font pixel scale x scale."""
    cols = max((len(line) for line in lines), default=0)
    cw, ch = GLYPH_W + PAD, GLYPH_H + 2 * PAD
    mask = np.zeros((len(lines) * ch + 2, cols * cw + 2), dtype=np.float32)
    for r, line in enumerate(lines):
        for c, char in enumerate(line):
            y, x = 1 + r * ch + PAD, 1 + c * cw
            mask[y: y + GLYPH_H, x: x + GLYPH_W] = glyph(char)
    return np.kron(mask, np.ones((scale, scale), np.float32)) if scale > 1 else mask


def hud_scale(width: int) -> int:
    """Font pixels per screen pixel: readable on a projector, not a wall of text on a laptop."""
    return max(1, width // 900)


def hud_lines(*, fps: float, decode_ms: float, performance, recording: str, error: str, selected: str,
              armed: str = "", model: str = "", outputs=()) -> list[str]:
    """What the HUD shows, one string per line."""
    p = performance.params
    slot = lambda s: "-" if s is None else str(s)  # noqa: E731
    lines = [
        f"{fps:5.1f} FPS  DECODE {decode_ms:5.1f} MS  {model}"[:60],
        f"SLOT {slot(performance.current_slot)} -> {slot(performance.target_slot)}  NOISE {performance.noise:.2f}",
        f"{p.mover.upper()}  SETTLE {p.settle_time:.2f}S  DAMP {p.damping:.2f}",
        f"SHELL {p.shell_stiffness:.1f}HZ  SPEED {p.speed_limit:.2f}",
        f"SELECTED {selected}" + (f"  {armed}" if armed else ""),
        recording or "NOT RECORDING",
        *(line[:60] for line in outputs),
    ]
    if error:
        lines.append(f"! {error}"[:60])
    return lines
