"""NDI out through cyndilib (the extra livelatent[ndi]; its wheel ships NDI's runtime).

The only cyndilib importer. A Sink is one NDI source named as the spec says (receivers list
it as "HOST (NAME)"), sending RGBA frames (NDI carries alpha: the letterbox bars are
transparent) at the output's frame rate, which NDI receives as a rational (30000/1001 stays
exact): its fixed rate, else the show's grid as the output opens (NDI fixes a source's rate
when it opens; the metadata below says the grid of each frame). Each frame carries XML
metadata, on the frame itself and as a metadata frame sent just after it (it arrives with
the frame), so a receiving machine can tie its recording to the take:

    <livelatent source="stage" frame_rate="30/1" frame="120" take="9f3c..." decoded="1764412345.123"/>

frame is the take's row while recording (take its id), else the display grid's frame
number (take ""); decoded is the sender's time.time() when the frame's decode ended.
Discovery is NDI's own (mDNS, or the discovery server and extra IPs of NDI's config file,
$NDI_CONFIG_DIR/ndi-config.v1.json): see docs/video-out.md.
"""

from __future__ import annotations

from fractions import Fraction
from xml.sax.saxutils import quoteattr

import numpy as np

from livelatent.common.output_spec import OutputSpec
from livelatent.common.sizes import Size

TAG = "livelatent"


def problem() -> str:
    """The library is there (kinds.py checked); its runtime must load too."""
    try:
        import cyndilib  # noqa: F401
    except (ImportError, OSError) as exc:
        return f"the NDI runtime does not load ({exc})"
    return ""


def metadata(spec: OutputSpec, frame) -> dict[str, str]:
    """The frame's attributes; frame_rate is the output's fixed rate, else the show's grid now
    (the take's fps while recording)."""
    rate = spec.rate.value if spec.rate else frame.rate
    return {"source": spec.target, "frame_rate": f"{rate.numerator}/{rate.denominator}", "frame": str(frame.k),
            "take": frame.take, "decoded": repr(frame.decoded_at)}


class Sink:
    pixel_format = "RGBA"

    def __init__(self, spec: OutputSpec) -> None:
        self.spec = spec
        self._sender = self._video = None

    def open(self, size: Size, rate: Fraction) -> None:
        from cyndilib import FourCC, Sender, VideoSendFrame

        video = VideoSendFrame()
        video.set_resolution(size.width, size.height)
        video.set_frame_rate(Fraction(rate))
        video.set_fourcc(FourCC.RGBA)
        sender = Sender(self.spec.target, clock_video=False)  # the output's thread paces it
        sender.set_video_frame(video)
        sender.open()
        self._sender, self._video = sender, video

    def send(self, pixels: np.ndarray, frame) -> None:
        attrs = metadata(self.spec, frame)
        self._video.set_metadata(f"<{TAG} {' '.join(f'{k}={quoteattr(v)}' for k, v in attrs.items())}/>".encode())
        if not self._sender.write_video(pixels.reshape(-1)):
            raise OSError("the NDI sender is not running")
        self._sender.send_metadata(TAG, attrs)

    def receivers(self) -> int:
        return int(self._sender.get_num_connections(0))

    def close(self) -> None:
        sender, self._sender = self._sender, None
        if sender is not None:
            sender.close()
