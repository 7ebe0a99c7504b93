"""Every way of naming a model: DCGAN faces, StyleGAN pickles, TorchScript, torch.export, factories."""

import pickle
import sys

import numpy as np
import pytest
import torch

from livelatent import generators
from livelatent.errors import ModelError, UsageError
from livelatent.generators import dcgan
from livelatent.generators.base import Generator
from livelatent.common.latent import sample

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")


def test_dcgan_faces_decodes_the_trained_weights():
    g = generators.load("dcgan-faces", device="cpu")
    assert isinstance(g, Generator)
    assert (g.z_dim, g.resolution, g.label) == (100, (64, 64), "dcgan-faces")
    images = g.decode(sample(4, 100, seed=1))
    assert images.shape == (4, 64, 64, 3) and images.dtype == np.uint8
    assert images.std() > 30  # trained faces, not an untrained net's grey
    assert np.array_equal(images, g.decode(sample(4, 100, seed=1)))


def test_dcgan_from_an_explicit_weights_path_and_resized():
    path = dcgan.packaged_weights()
    g = generators.load(f"dcgan-faces:{path}", device="cpu", size=(32, 48))
    assert g.decode(sample(1, 100, seed=1)).shape == (1, 32, 48, 3)


def test_dcgan_bad_weights_name_the_file(tmp_path):
    bad = tmp_path / "weights.tar"
    torch.save({"something": {}}, bad)
    with pytest.raises(ModelError, match="weights.tar: not DCGAN generator weights"):
        generators.load(f"dcgan-faces:{bad}", device="cpu")
    with pytest.raises(ModelError, match="nope.tar: DCGAN weights not found"):
        generators.load(f"dcgan-faces:{tmp_path / 'nope.tar'}", device="cpu")


def test_stylegan_pickle_decodes_through_mapping_and_synthesis(stylegan_run, fake_repo):
    g = generators.load(str(stylegan_run / "network-snapshot-000040.pkl"), device="cpu", stylegan_repo=fake_repo)
    assert isinstance(g, Generator)
    assert (g.z_dim, g.resolution, g.shell_radius) == (16, (16, 16), None)
    z = sample(3, 16, seed=2)
    images = g.decode(z)
    assert images.shape == (3, 16, 16, 3) and images.std() > 5
    assert np.array_equal(g.decode(z * 3), images)  # the mapping normalises z


def test_stylegan_truncation_zero_gives_the_average_picture(stylegan_run, fake_repo):
    g = generators.load(str(stylegan_run / "network-snapshot-000040.pkl"), device="cpu",
                        stylegan_repo=fake_repo, truncation_psi=0.0)
    images = g.decode(sample(3, 16, seed=2))
    assert np.array_equal(images[0], images[1]) and np.array_equal(images[1], images[2])


def test_conditional_stylegan_takes_a_class(stylegan_run, fake_repo, monkeypatch):
    monkeypatch.setenv("LIVELATENT_STYLEGAN_REPO", str(fake_repo))
    path = str(stylegan_run.parent / "conditional.pkl")
    z = sample(2, 16, seed=3)
    a = generators.load(path, device="cpu", class_idx=0).decode(z)
    b = generators.load(path, device="cpu", class_idx=2).decode(z)
    assert not np.array_equal(a, b)
    with pytest.raises(ModelError, match="class 5: this model has classes 0..2"):
        generators.load(path, device="cpu", class_idx=5)


def test_stylegan_without_a_checkout_says_what_is_missing(stylegan_run, tmp_path, monkeypatch):
    monkeypatch.delenv("LIVELATENT_STYLEGAN_REPO", raising=False)
    path = stylegan_run / "network-snapshot-000040.pkl"
    with pytest.raises(ModelError, match="need NVIDIA's training code.*`stylegan_repo` PATH.*LIVELATENT_STYLEGAN_REPO"):
        generators.load(str(path), device="cpu")
    with pytest.raises(ModelError, match="not a StyleGAN checkout; missing torch_utils/persistence.py"):
        generators.load(str(path), device="cpu", stylegan_repo=tmp_path)


class Sneaky:
    def __reduce__(self):
        return (print, ("this should never run",))


def test_stylegan_unpickler_refuses_other_globals(tmp_path, fake_repo, capsys):
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps({"G_ema": Sneaky()}))
    with pytest.raises(ModelError, match="evil.pkl: contains builtins.print, which is not allowed"):
        generators.load(str(path), device="cpu", stylegan_repo=fake_repo)
    assert "should never run" not in capsys.readouterr().out


class TinyGenerator(torch.nn.Module):
    z_dim: int = 8

    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(8, 3 * 4 * 4)

    def forward(self, z):
        return torch.tanh(self.fc(z)).view(-1, 3, 4, 4)


def test_torchscript_file(tmp_path):
    torch.manual_seed(0)
    net = TinyGenerator().eval()
    torch.jit.script(net).save(str(tmp_path / "tiny.pt"))
    g = generators.load(str(tmp_path / "tiny.pt"), device="cpu", size=(8, 8))
    assert (g.z_dim, g.label, g.resolution) == (8, "tiny", (8, 8))
    assert g.decode(sample(2, 8, seed=1)).shape == (2, 8, 8, 3)


class GreyGenerator(torch.nn.Module):
    def __init__(self, z_dim):
        super().__init__()
        if z_dim:
            self.z_dim = z_dim

    def forward(self, z):
        return torch.tanh(z[:, :16]).view(-1, 1, 4, 4)


def test_a_greyscale_model_gives_grey_rgb_and_bad_files_are_named(tmp_path):
    torch.jit.script(GreyGenerator(16)).save(str(tmp_path / "grey.ts"))
    images = generators.load(str(tmp_path / "grey.ts"), device="cpu").decode(sample(2, 16, seed=1))
    assert images.shape == (2, 4, 4, 3) and (images[..., 0] == images[..., 2]).all() and images.std() > 10
    torch.jit.script(GreyGenerator(0)).save(str(tmp_path / "mystery.ts"))
    with pytest.raises(ModelError, match="mystery.ts: cannot tell the size of z"):
        generators.load(str(tmp_path / "mystery.ts"), device="cpu")
    (tmp_path / "junk.pt").write_bytes(b"not a model")
    with pytest.raises(ModelError, match="junk.pt: not a TorchScript or torch.export generator"):
        generators.load(str(tmp_path / "junk.pt"), device="cpu")


def test_torch_export_file(tmp_path):
    torch.manual_seed(0)
    net = TinyGenerator().eval()
    batch = torch.export.Dim("batch", min=1, max=1024)
    program = torch.export.export(net, (torch.zeros(2, 8),), dynamic_shapes=({0: batch},))
    torch.export.save(program, str(tmp_path / "tiny.pt2"))
    g = generators.load(str(tmp_path / "tiny.pt2"), device="cpu")
    z = sample(3, 8, seed=1)
    expected = ((net(torch.from_numpy(z)) + 1) * 127.5 + 0.5).clamp(0, 255).to(torch.uint8).permute(0, 2, 3, 1)
    assert np.array_equal(g.decode(z), expected.detach().numpy())


def test_factory_module_function(tmp_path, monkeypatch):
    (tmp_path / "my_models.py").write_text(
        "import numpy as np\n"
        "class Stripes:\n"
        "    z_dim, resolution = 4, (8, 8)\n"
        "    def decode(self, z, size=None):\n"
        "        return np.zeros((len(z), 8, 8, 3), np.uint8) + (np.asarray(z)[:, :1, None, None] > 0) * 255\n"
        "def make(device):\n"
        "    return Stripes()\n"
        "def broken(device):\n"
        "    return object()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    g = generators.load("my_models:make", device="cpu")
    assert (g.z_dim, g.label, g.shell_radius) == (4, "make", None)
    with pytest.raises(ModelError, match="returned object without z_dim, resolution, decode"):
        generators.load("my_models:broken", device="cpu")
    with pytest.raises(ModelError, match="cannot import the factory"):
        generators.load("no_such_module_here:make", device="cpu")
    sys.modules.pop("my_models", None)


def test_unknown_model_and_device_are_one_line_errors():
    with pytest.raises(ModelError, match="model 'nonsense': expected one of default, dcgan-faces"):
        generators.load("nonsense", device="cpu")
    with pytest.raises(UsageError, match="`device` tpu: expected one of auto, cpu, cuda"):
        generators.load("default", device="tpu")
    if not torch.cuda.is_available():
        with pytest.raises(UsageError, match="`device` cuda: no CUDA GPU visible"):
            generators.load("default", device="cuda")
        assert generators.load("default", device="auto").device == "cpu"
