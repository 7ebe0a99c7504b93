"""A tiny StyleGAN-shaped generator: mapping (z, c) -> ws, synthesis ws -> image."""

import torch

from torch_utils import persistence


@persistence.persistent_class
class MappingNetwork(torch.nn.Module):
    def __init__(self, z_dim, c_dim, w_dim, num_ws):
        super().__init__()
        self.z_dim, self.c_dim, self.w_dim, self.num_ws = z_dim, c_dim, w_dim, num_ws
        self.weight = torch.nn.Parameter(torch.randn(w_dim, z_dim + c_dim) / (z_dim + c_dim) ** 0.5)
        self.register_buffer("w_avg", torch.zeros(w_dim))

    def forward(self, z, c, truncation_psi=1, truncation_cutoff=None, update_emas=False):
        z = z * (z.square().mean(dim=1, keepdim=True) + 1e-8).rsqrt()  # normalise the 2nd moment
        x = torch.cat([z, c], dim=1) if self.c_dim else z
        w = torch.nn.functional.leaky_relu(x @ self.weight.t(), 0.2)
        w = self.w_avg.lerp(w, truncation_psi)
        return w.unsqueeze(1).repeat(1, self.num_ws, 1)


@persistence.persistent_class
class SynthesisNetwork(torch.nn.Module):
    def __init__(self, w_dim, img_resolution, img_channels):
        super().__init__()
        self.w_dim, self.img_resolution, self.img_channels = w_dim, img_resolution, img_channels
        self.num_ws = 2
        self.const = torch.nn.Parameter(torch.randn(w_dim, 4, 4))
        self.to_rgb = torch.nn.Parameter(torch.randn(img_channels, w_dim) / w_dim ** 0.5)
        self.register_buffer("noise_const", torch.randn(img_resolution, img_resolution))

    def forward(self, ws, noise_mode="random", **kwargs):
        x = self.const[None] * ws[:, 0, :, None, None]
        x = torch.nn.functional.interpolate(x, size=(self.img_resolution,) * 2, mode="bilinear")
        x = x * ws[:, 1, :, None, None] + (0.1 * self.noise_const if noise_mode == "const" else 0)
        return torch.tanh(torch.einsum("cw,nwhk->nchk", self.to_rgb, x))


@persistence.persistent_class
class Generator(torch.nn.Module):
    def __init__(self, z_dim, c_dim, w_dim, img_resolution, img_channels):
        super().__init__()
        self.z_dim, self.c_dim, self.w_dim = z_dim, c_dim, w_dim
        self.img_resolution, self.img_channels = img_resolution, img_channels
        self.synthesis = SynthesisNetwork(w_dim, img_resolution, img_channels)
        self.mapping = MappingNetwork(z_dim, c_dim, w_dim, self.synthesis.num_ws)

    def forward(self, z, c, truncation_psi=1, noise_mode="const"):
        return self.synthesis(self.mapping(z, c, truncation_psi=truncation_psi), noise_mode=noise_mode)
