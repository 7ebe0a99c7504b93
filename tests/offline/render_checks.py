"""Helpers of the chunked and distributed render tests: run the command, compare outputs."""

import av
import numpy as np

from livelatent import cli


def livelatent(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def same_stream(a, b) -> bool:
    """Whether two videos hold the same encoded stream, packet for packet (their container tags,
    such as the render's id, may differ)."""
    return _packets(a) == _packets(b)


def _packets(path):
    with av.open(str(path)) as container:
        return [(p.pts, bytes(p)) for p in container.demux(video=0) if p.size]


def png_pixels(path) -> bytes:
    """The RGB bytes of a PNG as FFmpeg decodes it (an independent reader of what png.py wrote)."""
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        return np.ascontiguousarray(frame.to_ndarray(format="rgb24")).tobytes()
