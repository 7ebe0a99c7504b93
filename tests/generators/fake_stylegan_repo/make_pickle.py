"""Write a network pickle the way NVIDIA's training loop does: python make_pickle.py OUT.pkl SEED C_DIM"""

import copy
import pickle
import sys

import torch

import dnnlib
from training.networks import Generator

out, seed, c_dim = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.manual_seed(seed)
G = Generator(z_dim=16, c_dim=c_dim, w_dim=8, img_resolution=16, img_channels=3)
snapshot = {"G": G, "G_ema": copy.deepcopy(G).eval().requires_grad_(False).cpu(),
            "training_set_kwargs": dnnlib.EasyDict(resolution=16, use_labels=bool(c_dim))}
with open(out, "wb") as f:
    pickle.dump(snapshot, f)
