"""Real StyleGAN networks: decoding alone against the live loop decoding them, per size.

    .venv/bin/python benchmarks/bench_stylegan.py [--device cuda] [--sizes 256,512,1024]
        [--kinds sg2,sg3-t] [--seconds 5] [--rounds 3] [--nvidia ../shared/nvidia]

For each kind (sg2: StyleGAN2 from the stylegan3 checkout, sg3-t: StyleGAN3-T) and each size,
a network of that resolution is built with NVIDIA's own code (make_snapshot.py, random
weights: speed does not depend on training) and measured in one run, side by side:
  decode   the generator alone, one frame at a time as the live loop asks for them (frames/s,
           ms per frame), and batched at the size render() measures for it (its frames/s);
  loop     the headless live loop (EGL, HUD on) on a frame grid finer than the model can fill,
           so it is decode-bound, the particle travelling to a new slot each second;
  ratio    loop / decode (target on a GPU: at least 0.95).
Short loop and decode-alone rounds alternate and the median of the pairs counts: a shared
machine's speed drifts over seconds and slows both of a pair alike. On CUDA the networks run
NVIDIA's float16 layers as their training code does; on the CPU, float32 (force_fp32).
Network building is not timed. Needs NVIDIA's code (--nvidia, default ../shared/nvidia).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from livelatent.instrument.actions import make
from livelatent.generators import load
from livelatent.generators.batching import BatchPlanner, fastest_threads
from livelatent.common.latent import sample
from livelatent.commands.perform import show_config
from livelatent.live.session import build_session

KINDS = {"sg2": ("stylegan3", "sg3-sg2"), "sg3-t": ("stylegan3", "sg3-t"), "sg3-r": ("stylegan3", "sg3-r"),
         "ada": ("stylegan2-ada-pytorch", "ada")}
BUILD = ("import runpy, sys; from pathlib import Path; from livelatent.generators import nvidia_code\n"
         "with nvidia_code.checkout(Path(sys.argv[2]).resolve()):\n"
         "    sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')")


def build(nvidia: Path, kind: str, size: int, folder: Path) -> tuple[Path, Path]:
    """(network pickle, checkout): a `kind` network of size x size, NVIDIA's default channels
    for that resolution (make_snapshot.py's small test channels below 256)."""
    checkout, make_kind = KINDS[kind]
    out = folder / f"{kind}-{size}.pkl"
    channels = ["--cbase", "32768", "--cmax", "512"] if size >= 256 else []
    subprocess.run([sys.executable, "-c", BUILD, str(nvidia / "make_snapshot.py"), str(nvidia / checkout), make_kind,
                    str(out), "--res", str(size), "--no-aug", *channels], check=True, stdout=subprocess.DEVNULL)
    return out, nvidia / checkout


def in_thread(fn, *args):
    """fn(*args) on a thread of its own, as the live loop's decode worker runs the model: torch's
    CPU thread count is per thread, so loop and alone compare like with like."""
    result = []
    worker = threading.Thread(target=lambda: result.append(fn(*args)))
    worker.start()
    worker.join()
    return result[0]


def decode_alone(generator, zs: np.ndarray, seconds: float) -> float:
    """Frames/s decoding one z at a time, as the live loop does, for about `seconds`, with the
    CPU thread count the loop's decode worker measures for itself (fastest_threads)."""
    if generator.device == "cpu":
        fastest_threads(lambda: generator.decode(zs[:1]))
    t0, n = time.perf_counter(), 0
    while time.perf_counter() - t0 < seconds:
        generator.decode(zs[n % len(zs)][None])
        n += 1
    return n / (time.perf_counter() - t0)


def batched(generator, zs: np.ndarray) -> tuple[int, float]:
    """(batch size render() settles on, frames/s at it)."""
    if generator.device == "cpu":
        fastest_threads(lambda: generator.decode(zs[:1]))
    planner = BatchPlanner()
    while planner.chosen is None:
        n = planner.next_size()
        t = time.perf_counter()
        generator.decode(zs[:n])
        planner.record(n, time.perf_counter() - t)
    n = planner.chosen
    t = time.perf_counter()
    for _ in range(3):
        generator.decode(zs[:n])
    return n, 3 * n / (time.perf_counter() - t)


def loop_rate(session, seconds: float) -> float:
    """Frames/s of the headless loop over `seconds`, a new keyframe each second."""
    app, slot = session.app, [0]

    def travel(*_):
        if app.bus.now() >= slot[0]:
            slot[0] += 1
            app.bus.put(make("keyframe", slot[0] % 8, source="api"))

    app.on_frame = travel
    return app.run(duration=seconds).fps


def measure(pkl: Path, checkout: Path, size: int, args) -> dict:
    options = ["--headless", "--model", str(pkl), "--stylegan-repo", str(checkout), "--device", args.device,
               "--size", str(size), "--osc-port", "0", "--fps", "1000", "--recordings", tempfile.mkdtemp()]
    generator = load(str(pkl), device=args.device, stylegan_repo=checkout)
    zs = sample(16, generator.z_dim, seed=1)
    in_thread(generator.decode, zs[:1])  # warm-up: kernels, allocations
    pairs = []
    for _ in range(args.rounds):
        session = build_session(show_config(options))
        try:
            loop = loop_rate(session, args.seconds)
        finally:
            session.close()
        pairs.append((loop, in_thread(decode_alone, generator, zs, args.seconds)))
    batch, batch_fps = in_thread(batched, generator, zs)
    loop, alone = (statistics.median(p[i] for p in pairs) for i in (0, 1))
    ratios = sorted(loop / alone for loop, alone in pairs)
    return {"alone": alone, "loop": loop, "ratio": statistics.median(ratios), "ratios": ratios,
            "batch": batch, "batch_fps": batch_fps}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="cpu")
    p.add_argument("--sizes", default="256,512,1024")
    p.add_argument("--kinds", default="sg2,sg3-t", help=f"any of {', '.join(KINDS)}")
    p.add_argument("--seconds", type=float, default=5.0, help="per round, loop and alone each")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--nvidia", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "nvidia"))
    args = p.parse_args()
    nvidia = Path(args.nvidia)
    if not (nvidia / "make_snapshot.py").exists():
        print(f"bench_stylegan: NVIDIA's code not found at {nvidia} (--nvidia PATH)", file=sys.stderr)
        return 2
    print(f"device {args.device}; {args.rounds} rounds of {args.seconds:g} s each, loop and decode alone alternating")
    print(f"{'network':<14} {'decode f/s':>10} {'ms/frame':>9} {'loop f/s':>9} {'loop/decode':>11}  "
          f"{'rounds':<20} {'batched':>14}")
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds.split(","):
            for size in (int(s) for s in args.sizes.split(",")):
                pkl, checkout = build(nvidia, kind, size, Path(tmp))
                r = measure(pkl, checkout, size, args)
                rounds = ",".join(f"{x:.2f}" for x in r["ratios"])
                print(f"{kind + ' ' + str(size):<14} {r['alone']:>10.1f} {1000 / r['alone']:>9.1f} {r['loop']:>9.1f} "
                      f"{r['ratio']:>11.2f}  {rounds:<20} {r['batch_fps']:>7.1f} (x{r['batch']:<2})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
