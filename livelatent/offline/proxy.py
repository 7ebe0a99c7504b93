"""Complete a take's proxy from its z-sequence, and recover takes cut off by a crash.

A proxy is complete when it holds one frame per z row, frame k = fit_image(decode(z[k])).
The frames the live loop already encoded (NAME.partial.mp4) are kept, in order; the
missing ones are decoded here at the take's live size and brought to the proxy size the
same way the recorder did, so both kinds of frame look alike.

    take = complete_proxy(find_take("take-20261129-104839-123"), generators.load("default"))
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

import numpy as np

from livelatent.adapters.audio import mux_take_sound
from livelatent.adapters import take_writer, takes
from livelatent.adapters.video import VideoWriter, iter_frames
from livelatent.common.files import atomic_path
from livelatent.common.images import fit_image
from livelatent.errors import TakeError, VideoError, ZSequenceError
from livelatent.generators.configure import decode_frames
from livelatent.generators.batching import BatchPlanner


def missing_frames(take: takes.Take) -> list[int]:
    present = set(take.proxy_frames_present()) if take.meta["proxy"].get("state") == "partial" else set()
    return [k for k in range(take.rows) if k not in present]


def complete_proxy(take: takes.Take, generator, *, progress: Callable[[int], None] | None = None,
                   track=None) -> takes.Take:
    """Write NAME.mp4 with every frame, each drawn with the Picture (psi, class, snapshot) the
    live loop drew it with (`track`, default: from the take's events); returns the updated
    take (proxy state 'complete')."""
    if take.proxy_complete:
        return take
    if take.status == "recording":
        raise takes.TakeError(f"{take.path}: still recording or cut off; run `livelatent recover` first")
    z = takes.load_z(take).z
    size = _proxy_size(take, generator)
    decode_size = _decode_size(take, generator)
    try:
        with atomic_path(take.proxy_path) as tmp, \
                VideoWriter(tmp, fps=take.fps, size=size, codec=take.meta["proxy"].get("codec") or "h264",
                            intra_only=True, metadata={"livelatent_id": take.id}) as out:
            for frame in _frames(take, z, generator, size, decode_size, track or takes.picture_track(take)):
                out.write(frame)
                if progress:
                    progress(1)
        mux_take_sound(take.path, take.proxy_path)  # a take recorded with sound keeps it
        take = takes.update_meta(take, proxy={**take.meta["proxy"], "size": list(size), "state": "complete",
                                              "present": [[0, take.rows]] if take.rows else []})
    except BaseException as exc:  # interrupted or failed: the take stays as it was, partial proxy and all
        if isinstance(exc, (OSError, VideoError)):  # a full disk, a read-only folder
            raise TakeError(f"{take.path}: proxy not written ({getattr(exc, 'strerror', None) or exc}); "
                            f"the z-sequence is kept: make room and run `livelatent proxies {take.name}`") from None
        raise
    take.partial_proxy_path.unlink(missing_ok=True)
    return take


def _frames(take, z, generator, size, decode_size, track) -> Iterator[np.ndarray]:
    """Frames 0..n-1: from the partial proxy where it has them, else decoded in batches."""
    present = take.proxy_frames_present() if take.meta["proxy"].get("state") == "partial" else []
    have = set(present)
    kept = iter_frames(take.partial_proxy_path) if present else iter(())
    planner = BatchPlanner.for_generator(generator)
    k = 0
    while k < len(z):
        if k in have:
            yield next(kept)
            k += 1
            continue
        end = k
        while end < len(z) and end not in have and end - k < planner.next_size():
            end += 1
        began = time.perf_counter()
        images = decode_frames(generator, track, z, k, end, decode_size)
        planner.record(end - k, time.perf_counter() - began)
        for image in images:
            yield fit_image(image, size)
        k = end


def _decode_size(take, generator) -> tuple[int, int]:
    """(h, w) the live loop decoded at: the take's 'size' (w, h), else the model's own."""
    if take.meta.get("size"):
        w, h = take.meta["size"]
        return int(h), int(w)
    return tuple(generator.resolution)


def _proxy_size(take, generator) -> tuple[int, int]:
    if take.meta["proxy"].get("size"):
        return take.proxy_size()
    h, w = _decode_size(take, generator)
    return w, h


def complete_after_show(pending: list[takes.Take], generator, model: str, say: Callable[[str], None] = print) -> None:
    """After a live show: complete the proxies of its takes made with this model (decoded at
    each take's own size, so any size works)."""
    for take in pending:
        take = takes.read_take(take.path)
        if take.proxy_complete:
            continue
        if take.meta.get("model") != model:
            say(f"{take.name}: proxy incomplete; run `livelatent proxies {take.name}`")
            continue
        say(f"{take.name}: rendering {len(missing_frames(take))} proxy frames the show had no time for "
            f"(Ctrl-C leaves them to `livelatent proxies {take.name}`)")
        complete_proxy(take, generator)
        say(f"{take.name}: proxy complete")


def recover_all(recordings, load_generator: Callable[[takes.Take], tuple] | None = None,
                say: Callable[[str], None] = print, failed: Callable[[str], None] | None = None) -> list[takes.Take]:
    """Recover every abandoned take; rebuild each proxy when a generator can be loaded for it
    (load_generator(take) -> (generator, picture track or None)).

    A take that cannot be finished where it is (a full disk, a read-only folder) is left exactly
    as it was, for a later `recover`: failed(line) hears of it (default: TakeError), and the
    other takes go on."""
    done = []
    for take in take_writer.abandoned_takes(recordings):
        try:
            done.append(_recover_one(take, load_generator, say))
        except TakeError as exc:
            if failed is None:
                raise
            failed(str(exc))
    return done


def _recover_one(take: takes.Take, load_generator, say) -> takes.Take:
    try:
        take = take_writer.recover(take)
    except (OSError, ZSequenceError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise TakeError(f"{take.path}: cannot be finished there ({reason}); its rows and events are "
                        "kept as they were: make room, or copy the take somewhere writable, and run "
                        "`livelatent recover` again") from None
    say(f"recovered {take.name}: {take.rows} frames ({take.duration:.1f}s) up to its last flush")
    if load_generator is not None and take.rows:
        generator, track = load_generator(take)
        take = complete_proxy(take, generator, track=track)
        say(f"{take.name}: proxy rebuilt from its z-sequence")
    return take
