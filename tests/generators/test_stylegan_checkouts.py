"""What goes wrong around a StyleGAN pickle, each said in one line, and two checkouts in one
process (with the stand-in checkout, so these run without NVIDIA's code)."""

import pickle
import shutil
import sys

import numpy as np
import pytest
import torch

from livelatent import generators
from livelatent.errors import ModelError
from livelatent.generators import nvidia_code
from livelatent.generators.configure import configured
from livelatent.common.latent import sample
from livelatent.common.picture import Picture


def one_line(exc_info) -> str:
    message = str(exc_info.value)
    assert "\n" not in message, message
    return message


def test_a_g_ema_that_is_not_a_network_is_one_line(tmp_path, fake_repo):
    path = tmp_path / "odd.pkl"
    path.write_bytes(pickle.dumps({"G_ema": {"mapping": 1}}))
    with pytest.raises(ModelError) as caught:
        generators.load(str(path), device="cpu", stylegan_repo=fake_repo)
    assert "odd.pkl: G_ema is a dict, not a StyleGAN generator network" in one_line(caught)


def test_a_network_whose_forward_fails_is_one_line(stylegan_run, fake_repo):
    g = generators.load(str(stylegan_run / "network-snapshot-000040.pkl"), device="cpu", stylegan_repo=fake_repo)

    def broken(*args, **kwargs):
        raise RuntimeError("Weights only load failed.\nIn PyTorch 2.6, we changed the default...\n(many lines)")

    g.G.synthesis.forward = broken
    with pytest.raises(ModelError) as caught:
        g.decode(sample(1, 16, seed=1))
    assert one_line(caught) == ("model network-snapshot-000040: the network failed "
                                "(RuntimeError: Weights only load failed.)")


def test_a_second_checkout_replaces_the_first_and_both_networks_keep_drawing(stylegan_run, fake_repo, tmp_path):
    first, second = tmp_path / "stylegan2-ada-pytorch", tmp_path / "stylegan3"
    for checkout in (first, second):
        shutil.copytree(fake_repo, checkout)
    path = str(stylegan_run / "network-snapshot-000040.pkl")
    z = sample(2, 16, seed=4)
    a = generators.load(path, device="cpu", stylegan_repo=first)
    assert nvidia_code.loaded_checkout() == first.resolve()
    b = generators.load(path, device="cpu", stylegan_repo=second)
    assert nvidia_code.loaded_checkout() == second.resolve()
    assert str(first.resolve()) not in sys.path and str(second.resolve()) in sys.path
    assert np.array_equal(a.decode(z), b.decode(z))


def test_pkg_resources_parse_version_is_there_while_a_checkout_is_imported(fake_repo):
    real = "pkg_resources" in sys.modules
    with nvidia_code.checkout(fake_repo.resolve()):
        from pkg_resources import parse_version

        assert parse_version(torch.__version__) >= parse_version("1.11.0a")
    assert ("pkg_resources" in sys.modules) == real  # the stand-in does not outlive the import


def test_a_package_the_checkout_imports_but_nobody_installed_is_one_line(stylegan_run, fake_repo, tmp_path):
    checkout = tmp_path / "needs-more"
    shutil.copytree(fake_repo, checkout)
    util = checkout / "dnnlib" / "util.py"
    util.write_text("import requests_that_is_not_installed  # noqa\n" + util.read_text())
    with pytest.raises(ModelError) as caught:
        generators.load(str(stylegan_run / "network-snapshot-000040.pkl"), device="cpu", stylegan_repo=checkout)
    assert "needs the Python package 'requests_that_is_not_installed'" in one_line(caught)
    assert "pip install 'livelatent[stylegan]'" in one_line(caught)
    assert not any(n.partition(".")[0] in nvidia_code.CHECKOUT_PACKAGES for n in sys.modules)  # nothing half-imported


def test_psi_and_class_switch_on_one_loaded_network(stylegan_run, fake_repo):
    g = generators.load(str(stylegan_run.parent / "conditional.pkl"), device="cpu", stylegan_repo=fake_repo,
                        class_idx=0)
    z = sample(2, 16, seed=3)
    for psi, cls in ((0.5, 0), (1.0, 2), (0.0, 1)):
        fresh = generators.load(str(stylegan_run.parent / "conditional.pkl"), device="cpu", stylegan_repo=fake_repo,
                                truncation_psi=psi, class_idx=cls)
        switched = configured(g, Picture(psi=psi, class_idx=cls))
        assert switched.G is g.G and np.array_equal(switched.decode(z), fresh.decode(z))
    with pytest.raises(ModelError, match="class 3: this model has classes 0..2"):
        configured(g, Picture(class_idx=3))
    with pytest.raises(ModelError, match="`noise_mode` random: expected one of const, none"):
        configured(g, Picture(class_idx=0, noise_mode="random"))
