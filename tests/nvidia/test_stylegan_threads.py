"""Whatever CPU thread count the live loop's decode worker keeps (timed at its warm-up, so
chosen by the machine's load), it decodes a real StyleGAN3 or StyleGAN2-ADA network's z to the
same floats as torch's own count, the render's: a proxy frame is the render's frame."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from livelatent.common.latent import sample
from livelatent.generators import stylegan
from livelatent.generators.batching import fastest_threads, set_threads_here
from tests.nvidia.conftest import repo


def on_a_thread_of_its_own(call):  # as the decode worker: the test's thread keeps its count
    out = []
    worker = threading.Thread(target=lambda: out.append(call()))
    worker.start()
    worker.join()
    return out[0]


@pytest.mark.parametrize("name, checkout, class_idx", [("sg3t", "stylegan3", None),
                                                       ("ada-classes", "stylegan2-ada-pytorch", 2)])
def test_the_thread_count_a_worker_keeps_decodes_the_bits_of_torchs_count(networks, name, checkout, class_idx):
    import torch

    generator = stylegan.load(networks[name], stylegan_repo=repo(checkout), truncation_psi=0.5, class_idx=class_idx)
    z = sample(1, generator.z_dim, seed=3).astype(np.float32)  # the split of the sums is the shapes', any z shows it

    def kept_and_floats():
        kept = fastest_threads(lambda: generator.floats(z), rounds=1)
        return kept, generator.floats(z)

    def floats_with(count):
        set_threads_here(count)
        return generator.floats(z)

    kept, floats = on_a_thread_of_its_own(kept_and_floats)
    assert kept in (1, torch.get_num_threads())
    assert torch.equal(floats, on_a_thread_of_its_own(lambda: floats_with(torch.get_num_threads())))
