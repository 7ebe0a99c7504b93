"""The sample judge's own reading (samples.py, sample_copy.py, coded_media.py), without melt:
renders of any display aspect, codes read where a transform draws them, and the filters a
copy neutralises."""

from pathlib import Path

import numpy as np
from lxml import etree

from .coded_media import code_bits, code_image, levels_in_box, visible_bits
from .sample_copy import _neutralise, render_size
from .samples import project_name


def test_renders_keep_the_profiles_display_aspect_exactly():
    def size(num, den):
        return render_size({"display_aspect_num": str(num), "display_aspect_den": str(den)})

    assert size(16, 9) == (64, 36) and size(4, 3) == (64, 48)
    assert size(6, 13) == (72, 156) and size(80, 43) == (160, 86)  # a phone's portrait, 1280x688


def test_a_zoomed_code_reads_from_the_blocks_in_view():
    """A clip zoomed 1.4 times about the centre (a transform's rect -384 -174 2688 1512 over
    1920x1080) shows the middle of its code: the bits in view are its own."""
    big = code_image(2, 1234, (90, 50))  # the code at 1.4 times the 64x36 frame
    frame = big[7:43, 13:77]
    bits = visible_bits(levels_in_box(frame.astype(float) * 219 / 255 + 16, (-13, -7, 90, 50)))
    assert bits is not None and len(bits) >= 8
    assert all(code_bits(2, 1234)[i] == b for i, b in bits.items())
    assert any(code_bits(2, 1233)[i] != b for i, b in bits.items())


def test_only_recolouring_filters_and_text_are_neutralised():
    def filtered(service, **props):
        f = etree.Element("filter")
        for name, value in {"mlt_service": service, **props}.items():
            etree.SubElement(f, "property", name=name).text = value
        _neutralise(f)
        return {p.get("name"): p.text for p in f}

    assert filtered("gamma", gamma="1,5")["disable"] == "1"
    assert filtered("brightness", start="0", end="1")["disable"] == "1"  # a fade from black darkens only
    assert "disable" not in filtered("brightness", alpha="0=0;10=1")  # a fade to transparency is a cover
    assert "disable" not in filtered("qtblend", rect="0 0 960 540 1")
    assert filtered("dynamictext", argument="Hello, {{name}}")["argument"] == ""


def test_projects_are_named_by_folder_and_stem():
    assert project_name(Path("samples/datalad/project.kdenlive")) == "datalad/project"
    assert project_name(Path("tests/data/kdenlive/opentimelineio__v191180.kdenlive")) == "opentimelineio/v191180"
