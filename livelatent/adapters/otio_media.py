"""An OpenTimelineIO clip's media -> the Source the conform looks up (adapters/zsources.py).

    source_for(clip, Path("cuts"), media_rate=None)
        # file:///takes/take-1.mp4      -> Source(path=/takes/take-1.mp4, names=("take-1",))
        # EDL '* FROM CLIP NAME: take-1' -> Source(path=None, names=("take-1",))  (found by stem)

A reference's URL is a file URL, an absolute path (POSIX or Windows, which keeps only its name
here), or a path relative to the edit's folder. The clip's name, the reference's name and an
EDL's reel (8 characters) are kept as `names`: the z-sequence finder tries them as stems in the
edit's folder and --search folders, as an assistant editor relinks by clip name or reel.
Generators (black, bars, solid colours) and image sequences or remote URLs have no z-sequence.
Duck-typed on schema_name(): adapters/otio.py is the one module that imports opentimelineio.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from urllib.parse import unquote, urlparse

from livelatent.edit.timeline import Source

MEDIA_SUFFIXES = {".mp4", ".mov", ".mkv", ".avi", ".mxf", ".m4v", ".webm", ".mts", ".npy", ".mpg", ".mpeg"}
WINDOWS_PATH = re.compile(r"^(/?[A-Za-z]:[\\/]|\\\\)")


def source_for(clip, edit_folder: Path, media_rate: Fraction | None = None) -> Source:
    """The Source of a clip: its media file, or the names it may be found by."""
    ref = clip.media_reference
    kind = ref.schema_name() if ref is not None else "MissingReference"
    names = clip_names(clip)
    label = clip.name or (names[0] if names else "unnamed clip")
    if kind == "ExternalReference":
        url = ref.target_url or ""
        path = path_from_url(url, edit_folder)
        if path is None:
            return Source(f"url:{url}", label, kind="other")
        return Source(str(path), label, path=path, fps=media_rate, names=names)
    if kind == "GeneratorReference":
        what = ref.generator_kind or "generator"
        return Source(f"generator:{what}:{label}", f"{label} ({what})", kind="generated")
    if kind in ("MissingReference",) and names:
        return Source(f"name:{names[0]}", label, fps=media_rate, names=names)
    what = "image sequence" if kind == "ImageSequenceReference" else kind
    return Source(f"{what}:{label}", f"{label} ({what})", kind="other")


def path_from_url(url: str, edit_folder: Path) -> Path | None:
    """A local path for a reference URL, None for a remote one (http, s3...)."""
    url = url.strip()
    if not url:
        return None
    parsed = urlparse(url)
    if parsed.scheme == "file":
        text = unquote(parsed.path)
    elif parsed.scheme and len(parsed.scheme) > 1:  # a one-letter "scheme" is a Windows drive
        return None
    else:
        text = unquote(url) if "%" in url else url
    if WINDOWS_PATH.match(text):
        # another machine's drive: only its name can be found here (by stem, in the folders)
        return Path(text.lstrip("/").replace("\\", "/"))
    path = Path(text)
    return path if path.is_absolute() else edit_folder / path


def clip_names(clip) -> tuple[str, ...]:
    """The clip's name, its media reference's name and its EDL reel, each also without a
    media file extension, usable as a file stem."""
    metadata = clip.metadata.get("cmx_3600", {}) if hasattr(clip.metadata, "get") else {}
    ref = clip.media_reference
    candidates = [clip.name, getattr(ref, "name", "") if ref is not None else "", metadata.get("reel", "")]
    names: list[str] = []
    for raw in candidates:
        name = str(raw or "").strip()
        if not name or name in (".", "..") or "/" in name or "\\" in name:
            continue
        names.append(name)
        if Path(name).suffix.lower() in MEDIA_SUFFIXES:
            names.append(Path(name).stem)
    return tuple(dict.fromkeys(names))
