"""`livelatent conform --layers fill|top`: the z rows under titles and insets, the overlays in
the report, fades as slerps by their opacity, and today's topmost-clip rule on request."""

import shutil
from fractions import Fraction

import numpy as np

from livelatent.common import zseq
from livelatent.edit.assemble import slerp_rows
from livelatent.cli import main
from livelatent.common.latent import sample
from livelatent.common.zseq import ZSequence

from .kdenlive_writer import Blank, Cut, effect, in_generation
from .test_layers_vs_melt import CORNER, title


def _edit(media, tmp_path):
    folder, c = media
    zs = {}
    for code in (1, 2):
        shutil.copy(folder / f"c{code}.mkv", tmp_path)
        zs[code] = sample(c[code].frames, 8, seed=code)
        zseq.save(ZSequence(zs[code], c[code].fps), tmp_path / f"c{code}")
    inset = effect("qtblend", rect=CORNER, distort=0)
    fade = effect("brightness", 30, 34, level=1, alpha="0=0;4=1")
    v1 = [Cut(c[1], 0, 39)]
    v2 = [Blank(5), title(0, 9), Cut(c[2], 0, 9, effects=(inset,)), Blank(5), Cut(c[2], 30, 39, effects=(fade,))]
    project = tmp_path / "layers.kdenlive"
    project.write_text(in_generation("timeline2", Fraction(25), [v1, v2]))
    return project, zs


def test_titles_and_insets_keep_the_clip_below_and_are_reported(media, tmp_path, capsys):
    project, zs = _edit(media, tmp_path)
    assert main(["conform", str(project), "-o", str(tmp_path / "out")]) == 0
    z = zseq.load(tmp_path / "out").z
    np.testing.assert_array_equal(z[:30], zs[1][:30])  # under the title and the inset: V1
    w = np.array([1 / 4, 2 / 4, 3 / 4])  # the fade's opacity keyframes 0..4 over producer positions 30..34
    np.testing.assert_allclose(z[31:34], slerp_rows(zs[1][31:34], zs[2][31:34], w), rtol=1e-5)
    np.testing.assert_array_equal(z[34:], zs[2][34:40])
    out = capsys.readouterr().out
    assert "overlay (not in the final render): title on track V2, 10 frames 5-14" in out
    assert "overlay (not in the final render): clip2 on track V2, 10 frames 15-24" in out


def test_layers_top_gives_the_topmost_clip_whatever_it_covers(media, tmp_path, capsys):
    project, zs = _edit(media, tmp_path)
    assert main(["conform", str(project), "-o", str(tmp_path / "out"), "--layers", "top"]) == 0
    z = zseq.load(tmp_path / "out").z
    np.testing.assert_array_equal(z[5:15], np.repeat(zs[1][4:5], 10, axis=0))  # the title: foreign, held
    np.testing.assert_array_equal(z[15:25], zs[2][0:10])
    np.testing.assert_array_equal(z[30:], zs[2][30:40])
    assert "overlay" not in capsys.readouterr().out
