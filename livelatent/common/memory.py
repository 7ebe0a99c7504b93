"""How much memory is free, so that an allocation that cannot fit is refused in one line
before it is attempted (instead of the kernel killing the process half-way)."""

from __future__ import annotations

import os


def available_bytes() -> int | None:
    """Memory the kernel can give now (Linux MemAvailable, else free pages); None if unknown."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def fits(nbytes: int, share: float = 0.8) -> bool:
    """Whether nbytes fit in `share` of the memory available now (True when unknown)."""
    free = available_bytes()
    return free is None or nbytes <= free * share
