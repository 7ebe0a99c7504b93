"""The virtual camera: YUYV frames written to a v4l2loopback device and read back as a webcam
reader would (PyAV's v4l2 input). Skipped with the reason where no loopback device exists;
the request the device gets (struct v4l2_format) and the YUYV conversion are checked either way."""

import struct
import time
from fractions import Fraction

import numpy as np
import pytest

from livelatent.common.output_spec import OutputSpec
from livelatent.common.sizes import Size
from livelatent.live.outputs import v4l2
from livelatent.live.outputs.convert import convert
from livelatent.live.outputs.worker import OutFrame


def test_the_format_request_is_yuyv_at_the_outputs_size_on_the_output_queue():
    request = v4l2.format_request(Size(640, 480))
    assert len(request) == v4l2.FORMAT_SIZE == 208
    kind, = struct.unpack_from("=I", request, 0)
    width, height, fourcc, field, line, image = struct.unpack_from("=6I", request, 8)
    assert (kind, width, height, field) == (v4l2.BUF_TYPE_VIDEO_OUTPUT, 640, 480, v4l2.FIELD_NONE)
    assert fourcc.to_bytes(4, "little") == b"YUYV" and (line, image) == (1280, 1280 * 480)
    assert v4l2.VIDIOC_S_FMT == 0xC0D05605  # _IOWR('V', 5, struct v4l2_format) on 64-bit Linux


@pytest.mark.skipif(not v4l2.loopback_devices(), reason=f"no v4l2loopback device here ({v4l2.LOAD})")
def test_a_loopback_device_gives_a_reader_the_frames_written():
    av = pytest.importorskip("av")
    device = v4l2.loopback_devices()[0]
    sink, size = v4l2.Sink(OutputSpec.parse(f"v4l2:{device}")), Size(64, 48)
    image = np.random.default_rng(1).integers(0, 256, (48, 64, 3), dtype=np.uint8)
    pixels = convert(image, size, "YUYV")
    sink.open(size, Fraction(30))
    try:
        sink.send(pixels, OutFrame(image, 0, "", Fraction(30), time.time()))
        reader = av.open(device, format="video4linux2", options={"video_size": "64x48", "input_format": "yuyv422"})
        sink.send(pixels, OutFrame(image, 1, "", Fraction(30), time.time()))
        frame = next(reader.decode(video=0))
        assert (frame.to_ndarray(format="yuyv422").reshape(48, 128) == pixels).all()
        reader.close()
    finally:
        sink.close()
