"""Images brought to the proxy size: the same bytes for live frames, rebuilt and recovered ones."""

import numpy as np
import pytest

from livelatent.common.images import fit_image


@pytest.mark.parametrize("size, expected", [((4, 2), "box"), ((3, 3), "sampled")], ids=["divides", "does-not-divide"])
def test_a_proxy_frame_is_box_averaged_when_the_sizes_divide_else_sampled(size, expected):
    image = np.arange(6 * 8 * 3, dtype=np.uint8).reshape(6, 8, 3)
    fitted = fit_image(image, size)
    assert fitted.shape == (size[1], size[0], 3)
    if expected == "box":
        assert fitted[0, 0, 0] == round(image[:3, :2, 0].mean())
    else:
        assert fitted[1, 1].tolist() == image[3, 4].tolist()
