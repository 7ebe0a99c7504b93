"""The seed's picture of a trajectory, drawn in numpy (plot-path writes it with adapters/png.py).

Top: each z is one vertical slice (one pixel wide, or wider for short paths), time left to
right, each dimension a row coloured by its value (warm positive, cool negative). A smooth
path shows smooth bands; slerp's keyframes show as notches where every band bends at once.
Middle: the speed |dz/dt| (white) on its own scale, from 0 at the bottom to the maximum.
Bottom: the radius |z| (yellow) with the shell R (grey line) and the band R +- one shell
spread (0.707, shaded), so a lerp's sag inside the shell is plain to see.
Keyframe frames, when given, are marked by faint vertical lines through all three panels.
"""

from __future__ import annotations

import numpy as np

from livelatent.common.latent import SHELL_SPREAD, shell_radius
from livelatent.motion.metrics import velocities

CURVE_HEIGHT = 120
GAP = 4
BACKGROUND, GAP_COLOUR, KEY_COLOUR = (16, 16, 16), (48, 48, 48), (90, 90, 90)
SPEED_COLOUR, RADIUS_COLOUR = (240, 240, 240), (255, 210, 60)
SHELL_COLOUR, BAND_COLOUR = (130, 130, 130), (40, 40, 56)


def trajectory_image(z, fps, *, keys=None, radius: float | None = None, max_rows: int = 512,
                     max_frames: int = 4096) -> np.ndarray:
    """The picture as uint8 (h, w, 3). Paths longer than max_frames are thinned evenly;
    latents larger than max_rows show their first max_rows dimensions."""
    z = np.asarray(z, dtype=np.float64)
    radius = shell_radius(z.shape[1]) if radius is None else radius
    speed = np.linalg.norm(velocities(z, fps), axis=1)
    speed = np.concatenate([speed[:1], speed]) if len(speed) else np.zeros(len(z))
    radii = np.linalg.norm(z, axis=1)
    cols = np.unique(np.linspace(0, len(z) - 1, min(len(z), max_frames)).round().astype(int))
    widen = max(1, 512 // len(cols))
    panels = [_slices(z[cols, :max_rows]), _speed_panel(speed[cols]), _radius_panel(radii[cols], radius)]
    image = np.concatenate([p for panel in panels for p in (panel, _gap(len(cols)))][:-1])
    if keys is not None:
        speed_top = len(panels[0]) + GAP
        _mark_keys(image, cols, keys, [speed_top, speed_top + CURVE_HEIGHT + GAP])
    return np.repeat(image, widen, axis=1)


def _slices(z: np.ndarray) -> np.ndarray:
    """(dims, frames, 3): warm for positive values, cool for negative, black at zero."""
    c = np.clip(z.T / 2.5, -1.0, 1.0)[..., None]
    warm, cool = np.array([255, 150, 40]), np.array([60, 150, 255])
    rgb = np.where(c > 0, c * warm, -c * cool)
    rows = max(1, 256 // len(rgb))
    return np.repeat(rgb, rows, axis=0).astype(np.uint8)


def _speed_panel(speed: np.ndarray) -> np.ndarray:
    panel = _blank(len(speed))
    top = float(speed.max()) if len(speed) and speed.max() > 0 else 1.0
    _curve(panel, speed / top, SPEED_COLOUR)
    return panel


def _radius_panel(radii: np.ndarray, radius: float) -> np.ndarray:
    panel = _blank(len(radii))
    half_span = max(3 * SHELL_SPREAD, float(np.abs(radii - radius).max(initial=0.0)) * 1.05)
    to_unit = lambda r: (np.asarray(r) - (radius - half_span)) / (2 * half_span)  # noqa: E731
    band = _rows(to_unit([radius + SHELL_SPREAD, radius - SHELL_SPREAD]))
    panel[band[0]:band[1] + 1] = BAND_COLOUR
    panel[_rows(to_unit([radius]))[0]] = SHELL_COLOUR
    _curve(panel, to_unit(radii), RADIUS_COLOUR)
    return panel


def _blank(width: int) -> np.ndarray:
    return np.tile(np.array(BACKGROUND, np.uint8), (CURVE_HEIGHT, width, 1))


def _gap(width: int) -> np.ndarray:
    return np.tile(np.array(GAP_COLOUR, np.uint8), (GAP, width, 1))


def _rows(unit: np.ndarray) -> np.ndarray:
    """0..1 (bottom..top) to pixel rows of a curve panel."""
    return ((1.0 - np.clip(unit, 0.0, 1.0)) * (CURVE_HEIGHT - 1)).round().astype(int)


def _curve(panel: np.ndarray, unit: np.ndarray, colour) -> None:
    """A polyline: each column joins its value to the previous column's."""
    y = _rows(unit)
    for x in range(len(y)):
        lo, hi = sorted((y[x - 1] if x else y[x], y[x]))
        panel[lo:hi + 1, x] = colour


def _mark_keys(image: np.ndarray, cols: np.ndarray, keys, panel_tops) -> None:
    """Faint vertical lines at keyframe columns, behind the curves of the curve panels."""
    for k in keys:
        x = int(np.argmin(np.abs(cols - int(k))))
        for top in panel_tops:
            column = image[top:top + CURVE_HEIGHT, x]
            column[(column == BACKGROUND).all(axis=1)] = KEY_COLOUR
