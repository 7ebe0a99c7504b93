"""A test's NDI receiver (cyndilib), run as a process inside the test's network namespace.

    python ndi_receiver.py OUT.npz OSC_PORT [TAKE_SECONDS]

Finds the one NDI source (by NDI's extra IPs: the test's ndi-config.v1.json says 127.0.0.1),
connects, and once frames flow starts a take over OSC, keeps it TAKE_SECONDS, stops it, and
collects a second more. Saves every video frame received (RGBA), the metadata received before
each (the newest), every metadata frame, the frame rate NDI says, and NDI's own counts.
"""

import json
import sys
import time

import numpy as np
from cyndilib import Finder, MetadataRecvFrame, Receiver, RecvBandwidth, RecvColorFormat, VideoRecvFrame
from cyndilib.receiver import ReceiveFrameType
from pythonosc.udp_client import SimpleUDPClient

WANTED = ReceiveFrameType.recv_video | ReceiveFrameType.recv_metadata


def find_source(timeout=60.0):
    finder = Finder()
    finder.open()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        finder.wait_for_sources(0.2)
        names = finder.get_source_names()
        if names:
            return finder, finder.get_source(names[0])
    raise SystemExit("no NDI source appeared")


def main(out, osc_port, take_seconds=2.0):
    finder, source = find_source()
    receiver = Receiver(color_format=RecvColorFormat.RGBX_RGBA, bandwidth=RecvBandwidth.highest)
    video, meta = VideoRecvFrame(), MetadataRecvFrame()
    receiver.set_video_frame(video)
    receiver.set_metadata_frame(meta)
    receiver.connect_to(source)
    osc = SimpleUDPClient("127.0.0.1", osc_port)
    frames, frame_meta, metas, newest = [], [], [], {}
    phase, phase_at, rate = "waiting", time.monotonic(), None
    while phase != "done":
        got = receiver.receive(WANTED, 100)
        if got & ReceiveFrameType.recv_metadata:
            newest = dict(meta.items(), received=repr(time.time()))
            metas.append(newest)
        if got & ReceiveFrameType.recv_video:
            pixels = np.empty(video.get_data_size(), np.uint8)
            video.fill_p_data(pixels)
            w, h = video.get_resolution()
            frames.append(pixels.reshape(h, w, 4))
            frame_meta.append(newest)
            rate = str(video.get_frame_rate())
        now = time.monotonic()
        if phase == "waiting" and len(frames) >= 3:  # frames flow: the show is up, start the take
            osc.send_message("/livelatent/record/start", [])
            phase, phase_at = "recording", now
        elif phase == "recording" and now - phase_at >= take_seconds:
            osc.send_message("/livelatent/record/stop", [])
            phase, phase_at = "after", now
        elif phase == "after" and now - phase_at >= 1.0 or now - phase_at > 60:
            phase = "done"
    stats = receiver.get_performance_data()["video"]
    np.savez(out, frames=np.stack(frames), info=json.dumps({
        "frame_meta": frame_meta, "metas": metas, "rate": rate, "source": source.name, "ndi": stats}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:]))
