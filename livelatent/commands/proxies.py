"""`livelatent proxies TAKE`: render the proxy frames a take is missing, from its z-sequence."""

from __future__ import annotations

from livelatent.commands import types
from livelatent.adapters import take_health, takes
from livelatent.commands.model_options import add_model_arguments


def add_arguments(parser) -> None:
    parser.add_argument("takes", nargs="+", metavar="TAKE", help="take folder, or its name under --recordings")
    parser.add_argument("--recordings", type=types.folder, default="recordings", metavar="DIR",
                        help="where takes live (default: recordings)")
    add_model_arguments(parser)


def generator_for(take: takes.Take, args):
    """(generator, picture track): the take's model (a built-in one; else --model) at the size
    and with the settings the take was performed with, psi and class changes included."""
    from livelatent.commands.model_options import resolve_model

    recorded = {**take.meta, **takes.picture_track(take).to_meta()}
    choice = resolve_model(args, recorded, where=str(take.path / takes.TAKE_FILE))
    return choice.load(), choice.track


def proxy_unreadable(take: takes.Take) -> str | None:
    """What is wrong with a proxy take.json calls complete, as its file has it (None: nothing)."""
    from livelatent.adapters.video import count_frames
    from livelatent.errors import VideoError

    if not take.proxy_complete or not take.rows:
        return None
    try:
        frames = count_frames(take.proxy_path)
    except VideoError as exc:
        return f"unreadable ({str(exc).removeprefix(f'{take.proxy_path}: ')})"
    return None if frames == take.rows else f"holds {frames} of {take.rows} frames"


def run(args) -> int:
    from tqdm import tqdm

    from livelatent.offline.proxy import complete_proxy, missing_frames

    for name in args.takes:
        take = takes.find_take(name, args.recordings)
        damage = take_health.z_damage(take)
        if damage:
            raise takes.TakeError(f"{take.path}: damaged ({damage}); its proxy cannot be made")
        problem = "missing" if take_health.proxy_gone(take) else proxy_unreadable(take)
        if problem:
            print(f"{take.name}: proxy file {problem}; rebuilding it")
            take = take_health.without_proxy(take)
        if take.proxy_complete:
            print(f"{take.name}: proxy already complete ({take.rows} frames)")
            continue
        todo = len(missing_frames(take))
        generator, track = generator_for(take, args)
        # a bar only on a terminal (disable=None): in a log or a pipe it would be lines of noise
        with tqdm(total=take.rows, unit="frame", desc=take.name, leave=False, disable=None) as bar:
            take = complete_proxy(take, generator, progress=bar.update, track=track)
        print(f"{take.name}: rendered {todo} missing proxy frames; {take.proxy_path} complete ({take.rows} frames)")
    return 0
