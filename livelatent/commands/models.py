"""`livelatent models`: the built-in models and how to load your own."""

from __future__ import annotations

HOW_TO = """\
your own models (--model SPEC, anywhere a command decodes z):
  PATH.pkl              NVIDIA StyleGAN2-ADA / StyleGAN3 network pickle (G_ema); needs your checkout
                        of NVIDIA's code (--stylegan-repo PATH or $LIVELATENT_STYLEGAN_REPO) and
                        pip install 'livelatent[stylegan]'; --psi truncation, --class N for
                        conditional models, --noise-mode const|none (docs/models.md)
  PATH.pt / .ts / .pt2  TorchScript or torch.export module: z (N, d) -> images (N, 3, H, W) in [-1, 1]
  dcgan-faces:PATH      the DCGAN architecture with other weights (a dict with netG_state_dict)
  package.module:func   func(device=...) returns an object with z_dim, resolution, decode(z, size)
  FOLDER | 'GLOB' | A,B snapshots of one run: a labelled grid (render --snapshots ... --grid 7x4)
--device cpu|cuda|auto everywhere (auto: cuda when torch sees a GPU).
A z-sequence's sidecar or a take's take.json loads its model by itself only when it is built in;
for any other, pass --model SPEC (its psi, class and size are used again)."""


def add_arguments(parser) -> None:
    pass


def run(args) -> int:
    from livelatent.generators.builtins import BUILTINS

    print("built-in models:")
    for name, (_, description) in BUILTINS.items():
        print(f"  {name:<20}  {description}")
    print()
    print(HOW_TO)
    return 0
