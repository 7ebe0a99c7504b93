"""Where a shared machine's cores went during a measurement: CPU seconds of named processes
and of the whole machine, read from /proc (Linux; elsewhere every figure is 0).

    before = cpu_seconds({"show": os.getpid(), "OSC": osc_pid})
    ...                                   # the measured stretch
    after = cpu_seconds(...)              # {"show": s, "show system": s, "OSC": s, ..., "machine": s}

"NAME system" is the part of NAME's time spent in the kernel (system calls); "machine" is
every core's busy time (all processes, ours and anybody else's, and the kernel's
interrupt work); a process that has ended counts 0 (read the figures before reaping it).
"""

from __future__ import annotations

import os

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far of each named process (and of its system calls) and of the machine."""
    used = {"machine": machine_busy()}
    for name, pid in pids.items():
        user, system = process_cpu(pid)
        used[name], used[f"{name} system"] = user + system, system
    return used


def process_cpu(pid: int) -> tuple[float, float]:
    """(user, system) CPU seconds of a process, all its threads ((0, 0) if it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0, 0.0
    return int(fields[11]) / TICK, int(fields[12]) / TICK


def machine_busy() -> float:
    """CPU seconds every core has spent not idle since boot (the first line of /proc/stat)."""
    try:
        with open("/proc/stat") as f:
            ticks = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = sum(ticks[3:5])  # idle, iowait
    return (sum(ticks[:8]) - idle) / TICK  # guest time is already counted in user
