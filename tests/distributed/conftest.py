"""One local Ray cluster for all the distributed render tests, started the way `--ray` starts
one (livelatent's own connect(): loopback only, usage statistics off), and every one of its
processes gone when they end."""

import builtins
import os
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def faults(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("faults")


@pytest.fixture(scope="module")
def ray_cluster(faults):
    """The cluster (2 CPUs); its workers can import worker_faults and see the faults folder."""
    saved = dict(os.environ)
    os.environ.update(PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
                      LIVELATENT_TEST_FAULTS=str(faults), LIVELATENT_TEST_DRIVER=str(os.getpid()))
    from livelatent.offline.distributed import LOCAL, connect

    printing = builtins.print
    ray, owned = connect(LOCAL, num_cpus=2)
    assert owned and os.environ["RAY_USAGE_STATS_ENABLED"] == "0"
    processes = [p.process.pid for procs in ray._private.worker._global_node.all_processes.values() for p in procs]
    try:
        yield ray
    finally:
        ray.shutdown()
        os.environ.clear()
        os.environ.update(saved)
        _wait_gone(processes)
        assert builtins.print is printing, "Ray replaced builtins.print in the driver"


def _wait_gone(pids, seconds=20.0):
    deadline = time.monotonic() + seconds
    alive = list(pids)
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in alive if _running(pid)]
        time.sleep(0.1)
    assert not alive, f"Ray processes {alive} outlived the tests"


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][0] != "Z"  # a zombie is gone, only not yet reaped
    except FileNotFoundError:
        return False
