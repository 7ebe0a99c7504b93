"""A virtual camera on Linux: frames written straight to a v4l2loopback device (no library).

    sudo modprobe v4l2loopback video_nr=10 card_label=livelatent exclusive_caps=1
    livelatent perform --output v4l2:/dev/video10@1280x720@30

The device is set to YUYV 4:2:2 at the output's size (VIDIOC_S_FMT on its output queue), what
browsers, OBS and video-call programs take from a webcam; each frame is one write().
V4L2 carries no alpha (the letterbox bars are black) and cannot say who is reading.
"""

from __future__ import annotations

import fcntl
import glob
import os
import stat
import struct
from pathlib import Path

import numpy as np

from livelatent.common.output_spec import OutputSpec
from livelatent.common.sizes import Size

LOAD = "load v4l2loopback (sudo modprobe v4l2loopback video_nr=10 exclusive_caps=1)"
BUF_TYPE_VIDEO_OUTPUT, FIELD_NONE, COLORSPACE_SRGB = 2, 1, 8
YUYV = int.from_bytes(b"YUYV", "little")
FORMAT_SIZE = 208  # struct v4l2_format on 64-bit Linux: type, 4 bytes padding, a 200-byte union
VIDIOC_S_FMT = (3 << 30) | (FORMAT_SIZE << 16) | (ord("V") << 8) | 5


def loopback_devices() -> list[str]:
    """The /dev/videoN that v4l2loopback made (their sysfs name says so, or they take output)."""
    found = []
    for folder in sorted(glob.glob("/sys/class/video4linux/video*")):
        name = Path(folder, "name").read_text(errors="replace").strip() if Path(folder, "name").exists() else ""
        driver = os.path.realpath(Path(folder, "device", "driver")) if Path(folder, "device").exists() else ""
        if "loopback" in driver or "Dummy" in name or "loopback" in name.lower():
            found.append(f"/dev/{Path(folder).name}")
    return found


def problem() -> str:
    return "" if loopback_devices() else f"no v4l2loopback device; {LOAD}"


def target_problem(spec: OutputSpec) -> str:
    try:
        mode = os.stat(spec.target).st_mode
    except OSError:
        return f"no such device; {LOAD}"
    if not stat.S_ISCHR(mode):
        return "not a video device"
    return "" if os.access(spec.target, os.W_OK) else "cannot be written (add yourself to the video group)"


def format_request(size: Size) -> bytes:
    """struct v4l2_format for VIDIOC_S_FMT: YUYV frames of `size` on the output queue."""
    line = size.width * 2
    pix = struct.pack("=12I", size.width, size.height, YUYV, FIELD_NONE, line, line * size.height,
                      COLORSPACE_SRGB, 0, 0, 0, 0, 0)
    return struct.pack("=I4x", BUF_TYPE_VIDEO_OUTPUT) + pix.ljust(FORMAT_SIZE - 8, b"\0")


class Sink:
    pixel_format = "YUYV"

    def __init__(self, spec: OutputSpec) -> None:
        self.spec, self._fd = spec, None

    def open(self, size: Size, rate) -> None:
        fd = os.open(self.spec.target, os.O_RDWR | os.O_NONBLOCK)
        try:
            fcntl.ioctl(fd, VIDIOC_S_FMT, bytearray(format_request(size)))
        except OSError:
            os.close(fd)
            raise
        self._fd = fd

    def send(self, pixels: np.ndarray, frame) -> None:
        os.write(self._fd, pixels.data)

    def receivers(self) -> None:
        return None

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)
