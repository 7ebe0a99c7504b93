"""Which outputs this machine can send, said in one line each: `livelatent devices`, and
`perform --output` refusing what cannot run here before the model loads."""

import sys

import pytest

from livelatent.cli import main
from livelatent.common.output_spec import OutputSpec
from livelatent.errors import DeviceError
from livelatent.live.outputs import kinds


@pytest.mark.skipif(sys.platform != "linux", reason="the refusals below are a Linux machine's")
@pytest.mark.parametrize("spec, fragment", [
    ("spout:stage", "output spout:stage: Windows only (this is linux)"),
    ("syphon:stage", "output syphon:stage: macOS only (this is linux)"),
    ("v4l2:/dev/video63", "output v4l2:/dev/video63: no "),
], ids=["spout", "syphon", "v4l2-missing"])
def test_an_output_this_machine_cannot_send_is_one_line(spec, fragment, capsys, tmp_path):
    with pytest.raises(DeviceError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        kinds.check(OutputSpec.parse(spec))
    code = main(["perform", "--headless", "--duration", "1", "--recordings", str(tmp_path), "--output", spec])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and fragment in err[-1] and "Traceback" not in "\n".join(err)


def test_devices_lists_every_kind_of_output_and_why_not(capsys):
    assert main(["devices"]) == 0
    out = capsys.readouterr().out
    section = out[out.index("video outputs"):].splitlines()[1:5]
    assert [line.split()[0] for line in section] == list(kinds.TABLE)
    for kind, problem in kinds.availability():
        assert (problem or "available") in out
