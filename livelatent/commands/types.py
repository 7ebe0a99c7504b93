"""The checked values of common/values.py as argparse types: the one place argparse meets them.

    parser.add_argument("--size", type=types.size)    # values.size; what it refuses is argparse's
                                                      # error, so the message names the flag

Each type keeps its value function's name and module (functools.wraps): argparse and the tests
that every flag is checked as it is parsed see values.size itself.
"""

from __future__ import annotations

import argparse
import functools

from livelatent.common import values


def _argparse_type(check):
    @functools.wraps(check)
    def parse(text):
        try:
            return check(text)
        except values.Refused as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return parse


audio_file = _argparse_type(values.audio_file)
autopilot = _argparse_type(values.autopilot)
batch = _argparse_type(values.batch)
beats = _argparse_type(values.beats)
bpm = _argparse_type(values.bpm)
chunk_frames = _argparse_type(values.chunk_frames)
class_or_none = _argparse_type(values.class_or_none)
display_fps = _argparse_type(values.display_fps)
folder = _argparse_type(values.folder)
frames = _argparse_type(values.frames)
grid = _argparse_type(values.grid)
host = _argparse_type(values.host)
host_port = _argparse_type(values.host_port)
index = _argparse_type(values.index)
input_path = _argparse_type(values.input_path)
ip_list = _argparse_type(values.ip_list)
journey_frames = _argparse_type(values.journey_frames)
journeys = _argparse_type(values.journeys)
output = _argparse_type(values.output)
output_spec = _argparse_type(values.output_spec)
oversample = _argparse_type(values.oversample)
port = _argparse_type(values.port)
positive = _argparse_type(values.positive)
psi = _argparse_type(values.psi)
quantise = _argparse_type(values.quantise)
rate = _argparse_type(values.rate)
ray_address = _argparse_type(values.ray_address)
retries = _argparse_type(values.retries)
rows = _argparse_type(values.rows)
seconds = _argparse_type(values.seconds)
seed = _argparse_type(values.seed)
size = _argparse_type(values.size)
unit = _argparse_type(values.unit)
workers = _argparse_type(values.workers)
