"""A model for the distributed render tests: the default model, with faults that a test arms
by creating a file in $LIVELATENT_TEST_FAULTS (a folder the test cluster's workers know).

    die-at     holds N: the worker making the N-th decode of the render kills itself (once)
    die-always every decode kills its worker, while the file is there
    interrupt  the first decode presses Ctrl-C in the test's driver ($LIVELATENT_TEST_DRIVER)
"""

import os
import signal
from pathlib import Path

from livelatent.generators import load


def _folder() -> Path:
    return Path(os.environ["LIVELATENT_TEST_FAULTS"])


def _claim(name: str) -> bool:
    """Whether the armed fault `name` was there; one worker only takes it (rename is atomic)."""
    try:
        os.rename(_folder() / name, _folder() / f"{name}.taken-by-{os.getpid()}")
        return True
    except FileNotFoundError:
        return False


def _decodes_so_far() -> int:
    with open(_folder() / "decodes", "ab") as log:
        log.write(b".")
    return (_folder() / "decodes").stat().st_size


class FaultyDefault:
    label = "default"

    def __init__(self, device: str) -> None:
        self.model = load("default", device=device, size=(32, 32))  # a factory is not given --size
        self.z_dim, self.resolution, self.device = self.model.z_dim, self.model.resolution, self.model.device
        self.shell_radius = self.model.shell_radius

    def decode(self, z, size=None):
        armed = _folder() / "die-at"
        if (_folder() / "die-always").exists() or (
                armed.exists() and _decodes_so_far() >= int(armed.read_text()) and _claim("die-at")):
            os.kill(os.getpid(), signal.SIGKILL)
        if _claim("interrupt"):
            os.kill(int(os.environ["LIVELATENT_TEST_DRIVER"]), signal.SIGINT)
        return self.model.decode(z, size)


def default(device: str = "cpu") -> FaultyDefault:
    return FaultyDefault(device)
