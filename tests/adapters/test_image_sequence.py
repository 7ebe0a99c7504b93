"""Image sequences: each frame its own file, read back by FFmpeg at the depth it was written."""

import av
import numpy as np
import pytest

from livelatent.adapters.image_sequence import ImageSequence
from livelatent.errors import UsageError

PICTURE = np.random.default_rng(0).integers(0, 256, (6, 10, 3)).astype(np.uint8)


def read_back(path, fmt):
    with av.open(str(path)) as container:
        return next(container.decode(video=0)).to_ndarray(format=fmt)


@pytest.mark.parametrize("pattern, depth, fmt, expected", [
    ("%06d.png", 8, "rgb24", PICTURE), ("%06d.png", 16, "rgb48le", PICTURE.astype(np.uint16) * 257),
    ("f%04d.tif", 8, "rgb24", PICTURE), ("f%04d.tiff", 16, "rgb48le", PICTURE.astype(np.uint16) * 257),
], ids=["png8", "png16", "tif8", "tif16"])
def test_a_frame_reads_back_exactly_at_its_depth(tmp_path, pattern, depth, fmt, expected):
    sequence = ImageSequence.parse(str(tmp_path / "shots" / pattern), depth)
    path = sequence.write(12, PICTURE)
    assert path.name == pattern.replace("%06d", "000012").replace("%04d", "0012")
    assert np.array_equal(read_back(path, fmt), expected)
    assert sequence.existing() == [path] and not list(path.parent.glob(".*"))  # no temporary file left


def test_exr_holds_the_pixel_values_as_floats(tmp_path):
    path = ImageSequence.parse(str(tmp_path / "%d.exr")).write(3, PICTURE)
    assert np.array_equal(read_back(path, "gbrpf32le") * 255, PICTURE.astype(np.float32))


@pytest.mark.parametrize("text, message", [
    ("a/%06d%06d.png", "expected one frame-number field"), ("a%d/x%d.png", "expected one frame-number field"),
    ("a/%06d.jpg", "image sequences are .png, .tif, .tiff, .exr"), ("a/%s.png", "expected one frame-number field"),
])
def test_a_pattern_that_is_not_one_is_one_line(text, message):
    with pytest.raises(UsageError, match=message):
        ImageSequence.parse(text)


def test_a_depth_the_format_has_not_is_refused():
    with pytest.raises(UsageError, match="--depth 16: .exr files are written with 32 bits"):
        ImageSequence.parse("x/%d.exr", 16)
