"""The embedded default model: a coordinate network (CPPN) whose layers are modulated by z.

No download, no weights file: every weight comes from a fixed seed when the model loads, so
the same z gives the same picture on every machine. Each pixel's coordinates pass through
sine layers; z picks (through a small mapping network) a view of the plane (rotation, zoom,
offset) and scales each layer's input channels and biases, the way StyleGAN modulates its
convolutions. Everything is smooth in z, so nearby z give nearby images, and the network is
resolution-free: it renders natively at any requested size.

Speed: the per-frame modulation is folded into each layer's weights (a few hundred numbers
per frame) so the per-pixel work is one batched matmul plus an in-place sine per layer,
done in pixel chunks that stay in cache. On the CPU the chunks go to a small pool of
single-threaded workers (one per torch thread) instead of torch's OpenMP threads: between
hundreds of small ops, OpenMP threads spin, which halves the useful work when anything else
runs (a video encoder, another process) and collapses on a busy machine. The pool's threads
use one torch thread each; the calling thread's setting is untouched. Over 30 frames/s at
256x256 on 2 CPU cores (benchmarks/bench_default_model.py).
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from livelatent.common.latent import check_z, shell_radius

SEED = 20190425  # fixed: changing it changes every picture the default model has ever made
Z_DIM = 512
STYLE_DIM = 64
WIDTH = 32  # hidden channels per pixel
LAYERS = 3  # hidden sine layers after the coordinate layer
CHUNK_PIXELS = 8192  # pixels per matmul, per batch: keeps activations near cache, and many chunks keep workers even
GPU_CHUNK_ROWS = 1 << 22  # pixels x frames per launch on a GPU (0.5 GiB of activations)


def _weights(z_dim: int) -> dict[str, np.ndarray]:
    """All weights, float32, from the fixed seed (numpy's PCG64 is the same on every platform)."""
    rng = np.random.default_rng(SEED)
    g = lambda *shape, scale=1.0: (rng.standard_normal(shape) * scale).astype(np.float32)  # noqa: E731
    w = {
        "map1": g(z_dim, 256, scale=1.6 / math.sqrt(z_dim)),
        "map2": g(256, STYLE_DIM, scale=1.8 / math.sqrt(256)),
        "view": g(STYLE_DIM, 4, scale=0.6 / math.sqrt(STYLE_DIM)),
        "coord": g(4, WIDTH, scale=2.2),
        "coord_mod": g(STYLE_DIM, 4 * WIDTH, scale=0.5 / math.sqrt(STYLE_DIM)),
        "coord_bias": g(STYLE_DIM, WIDTH, scale=1.5 / math.sqrt(STYLE_DIM)),
        # a shared column makes the channels correlated: light and shade first, colour second
        "out": g(WIDTH, 3, scale=0.8 / math.sqrt(WIDTH)) + g(WIDTH, 1, scale=1.6 / math.sqrt(WIDTH)),
        "out_mod": g(STYLE_DIM, WIDTH * 3, scale=0.9 / math.sqrt(STYLE_DIM)),
        "out_bias": g(STYLE_DIM, 3, scale=0.8 / math.sqrt(STYLE_DIM)),
    }
    for i in range(LAYERS):
        w[f"hidden{i}"] = g(WIDTH, WIDTH, scale=1.9 / math.sqrt(WIDTH))
        w[f"hidden{i}_mod"] = g(STYLE_DIM, WIDTH, scale=0.8 / math.sqrt(STYLE_DIM))
        w[f"hidden{i}_bias"] = g(STYLE_DIM, WIDTH, scale=1.2 / math.sqrt(STYLE_DIM))
    return w


class DefaultGenerator:
    """A z-modulated CPPN: `decode(z (N, 512))` -> uint8 (N, H, W, 3) at any size."""

    label = "default"

    def __init__(self, *, device: str = "cpu", size: tuple[int, int] | None = None, z_dim: int = Z_DIM) -> None:
        import torch

        self._torch = torch
        self.z_dim = int(z_dim)
        self.device = str(device)
        self.resolution = tuple(size) if size else (256, 256)
        self.shell_radius = shell_radius(self.z_dim)
        # the per-frame modulation always runs on the CPU in float64 (see _modulated_layers): a
        # few hundred numbers per frame, and no float64 on a GPU, where it is slow
        self._w = {k: torch.from_numpy(v).double() for k, v in _weights(self.z_dim).items()}
        self._grids: dict[tuple[int, int], object] = {}
        workers = torch.get_num_threads() if self.device == "cpu" else 1
        self._pool = ThreadPoolExecutor(workers, "livelatent-default", _single_threaded) if workers > 1 else None

    def decode(self, z: np.ndarray, size: tuple[int, int] | None = None) -> np.ndarray:
        torch = self._torch
        z = check_z(z, self.z_dim, what=f"{self.label} z")
        h, w = size or self.resolution
        with torch.inference_mode():
            layers = self._in_worker(self._modulated_layers, torch.from_numpy(z))
            if self.device != "cpu":
                layers = [(w.to(self.device, non_blocking=True), b.to(self.device, non_blocking=True))
                          for w, b in layers]
            image = self._render_pixels(layers, self._grid(h, w))
            return image.view(len(z), h, w, 3).cpu().numpy()

    def _in_worker(self, fn, *args):
        """fn(*args) on a single-threaded pool worker (here when there is no pool).

        Even the per-frame matmuls (1 x 512 @ 512 x 256) would start an OpenMP team in the
        calling thread, whose threads then spin for milliseconds beside the chunk workers:
        on a loaded machine that made some decodes 3-5x slower than others."""
        if self._pool is None:
            return fn(*args)
        return self._pool.submit(self._inference, fn, *args).result()

    def _inference(self, fn, *args):
        with self._torch.inference_mode():
            return fn(*args)

    def _modulated_layers(self, z):
        """Per-frame weights (N, in, out) and biases (N, 1, out) for every layer.

        This per-frame part is tiny and runs on the CPU in float64, so that a frame decodes to
        the same bytes whatever batch it is in (float32 matmuls of different heights round
        differently) and its weights are the same on every device."""
        torch, W = self._torch, self._w
        style = torch.tanh(torch.tanh(z.double() @ W["map1"]) @ W["map2"])
        n = z.shape[0]
        coord_scale = 1 + (style @ W["coord_mod"]).view(n, 4, WIDTH)
        layers = [(self._view(style) @ (W["coord"] * coord_scale), (style @ W["coord_bias"])[:, None])]
        for i in range(LAYERS):
            scale = 1 + torch.tanh(style @ W[f"hidden{i}_mod"])
            layers.append((scale[:, :, None] * W[f"hidden{i}"], (style @ W[f"hidden{i}_bias"])[:, None]))
        out_scale = 1 + (style @ W["out_mod"]).view(n, WIDTH, 3)
        layers.append((W["out"] * out_scale, (style @ W["out_bias"])[:, None]))
        return [(weight.float(), bias.float()) for weight, bias in layers]

    def _view(self, style):
        """(N, 4, 4) map of the homogeneous coordinates (x, y, r, 1): rotate, zoom, offset."""
        torch = self._torch
        p = style @ self._w["view"]
        angle, zoom = p[:, 0] * math.pi, torch.exp(p[:, 1] * 0.7)
        cos, sin = torch.cos(angle) * zoom, torch.sin(angle) * zoom
        view = torch.zeros(style.shape[0], 4, 4, dtype=style.dtype, device=style.device)
        view[:, 0, 0], view[:, 0, 1], view[:, 1, 0], view[:, 1, 1] = cos, sin, -sin, cos
        view[:, 2, 2] = zoom
        view[:, 3, 0], view[:, 3, 1], view[:, 3, 3] = p[:, 2], p[:, 3], 1.0
        return view

    def _render_pixels(self, layers, grid):
        """Every pixel through the modulated layers, chunk by chunk, to uint8 (N, P, 3).

        Everything per pixel, down to the uint8 conversion, happens in the chunk workers: an
        OpenMP op in the calling thread would leave its threads spinning beside the pool."""
        torch = self._torch
        n, pixels = layers[0][0].shape[0], grid.shape[0]
        out = torch.empty(n, pixels, 3, dtype=torch.uint8, device=grid.device)
        chunk = max(1024, CHUNK_PIXELS // max(1, n // 4))
        if self.device != "cpu":
            chunk = max(chunk, GPU_CHUNK_ROWS // n)  # a GPU wants big launches, not cache-sized ones

        def render_chunk(start: int) -> None:
            with torch.inference_mode():
                x = grid[start:start + chunk].expand(n, -1, -1)
                for weight, bias in layers[:-1]:
                    x = torch.baddbmm(bias, x, weight).sin_()
                weight, bias = layers[-1]
                rgb = torch.baddbmm(bias, x, weight).sigmoid_().mul_(255.0).add_(0.5).clamp_(0, 255)
                out[:, start:start + chunk] = rgb  # the cast to uint8 truncates: +0.5 rounds

        starts = range(0, pixels, chunk)
        if self._pool is None:
            for start in starts:
                render_chunk(start)
        else:
            list(self._pool.map(render_chunk, starts))  # list(): re-raises a worker's error here
        return out

    def _grid(self, h: int, w: int):
        """Pixel centres (x, y, r, 1), the shorter side spanning [-1, 1]; cached per size."""
        if (h, w) not in self._grids:
            s = min(h, w)
            ys = (np.arange(h, dtype=np.float32) + 0.5 - h / 2) * (2 / s)
            xs = (np.arange(w, dtype=np.float32) + 0.5 - w / 2) * (2 / s)
            y, x = np.meshgrid(ys, xs, indexing="ij")
            grid = np.stack([x, y, np.sqrt(x * x + y * y), np.ones_like(x)], -1).reshape(-1, 4)
            self._grids[(h, w)] = self._torch.from_numpy(grid).to(self.device)
        return self._grids[(h, w)]


def _single_threaded() -> None:
    from livelatent.generators.batching import set_threads_here

    set_threads_here(1)  # this worker thread only (never the count of threads started later)


def load(*, device: str = "cpu", size: tuple[int, int] | None = None, z_dim: int = Z_DIM) -> DefaultGenerator:
    return DefaultGenerator(device=device, size=size, z_dim=z_dim)
