"""A conformed edit keeps what drew its clips: each timeline frame the picture settings of the
source frame it shows, so its render draws every frame as the clip did."""

import numpy as np
import pytest

from livelatent.commands.model_options import resolve_model
from livelatent.edit.picks import NONE, Picks
from livelatent.edit.pictures import edit_provenance
from livelatent.errors import ModelError
from livelatent.common.picture import Picture, PictureTrack


def picks(src, pos, weight=None):
    src, pos = np.array(src)[:, None], np.array(pos, float)[:, None]
    weight = np.ones(src.shape) if weight is None else np.array(weight, float)[:, None]
    return Picks(src=src, pos=pos, weight=weight, seg=np.zeros(src.shape, int))


def test_each_frame_takes_the_picture_of_the_source_frame_it_shows():
    take = {"model": "net.pkl", "size": [64, 64], **PictureTrack(Picture(psi=0.9, class_idx=1),
                                                                 [(3, Picture(psi=0.5, class_idx=1))]).to_meta()}
    reel = {"model": "net.pkl", "size": [64, 64], **PictureTrack(Picture(psi=0.7, class_idx=2)).to_meta()}
    # timeline: take frames 1, 2, 3, 4; a gap; reel frame 0; take frame 2 again
    edit = picks([0, 0, 0, 0, NONE, 1, 0], [1, 2, 3, 4, 0, 0, 2])
    meta = edit_provenance(edit, np.arange(7), [take, reel])
    assert (meta["model"], meta["size"]) == ("net.pkl", [64, 64])
    track = PictureTrack.from_meta(meta)
    assert [track.at(k).psi for k in range(7)] == [0.9, 0.9, 0.5, 0.5, 0.5, 0.7, 0.9]
    assert [track.at(k).class_idx for k in range(7)] == [1, 1, 1, 1, 1, 2, 1]


def test_an_edit_of_clips_from_several_models_asks_which_to_render_with():
    class Args:
        model = snapshots = size = psi = class_idx = noise_mode = None

    meta = edit_provenance(picks([0, 1], [0, 0]), np.arange(2), [{"model": "a.pkl"}, {"model": "default"}])
    assert meta["models"] == ["a.pkl", "default"] and meta["model"] is None
    with pytest.raises(ModelError, match=r"edit.kdenlive: made with several models \(a.pkl, default\); pass --model"):
        resolve_model(Args(), meta, where="edit.kdenlive")
    Args.model = "default"
    assert resolve_model(Args(), meta).spec == "default"
