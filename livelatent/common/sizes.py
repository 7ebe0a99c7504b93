"""A picture's size, in the one order people write it.

Sizes are read from text by values.size() only ("512" or "1280x720", checked against what
H.264 can hold); arrays and generators count rows first and take .hw, video writers and
proxies take .wh, so no caller ever guesses which order a tuple is in.

    Size(1280, 720).hw == (720, 1280)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Size:
    """A picture's size as people write it, width x height ("1280x720"); arrays and generators
    count rows first, so they take .hw; the one size parser is values.size()."""

    width: int
    height: int

    def __str__(self) -> str:
        return f"{self.width}x{self.height}"

    @property
    def wh(self) -> tuple[int, int]:
        return self.width, self.height

    @property
    def hw(self) -> tuple[int, int]:
        return self.height, self.width
