"""Which editor's format an edit file is in, told by its content (the extension only breaks ties).

    detect(Path("cut.xml"))          # -> "fcp-xml" for <xmeml>, "kdenlive" for an <mlt> file
    detect(Path("cut.txt"), "edl")   # --format: what the user says wins

Editors name their exports loosely (Resolve writes FCP 7 XML as .xml, Premiere EDLs as .txt,
FCP X bundles as folders), so the first bytes decide: an `<mlt>` root is Kdenlive / Shotcut /
MLT, `<xmeml>` FCP 7 XML, `<fcpxml>` FCP X XML, `{"OTIO_SCHEMA"` OpenTimelineIO JSON, a zip
holding content.otio an .otioz, a folder holding one an .otiod, a Microsoft compound file an
AAF, and CMX 3600 event lines an EDL. Only the standard library: the readers live in adapters.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from livelatent.errors import ProjectError
from livelatent.common.files import regular_file

# format -> what it is (for --format's help and messages)
FORMATS = {
    "kdenlive": "Kdenlive / Shotcut / MLT XML",
    "otio": "OpenTimelineIO JSON (.otio)",
    "otioz": "OpenTimelineIO zip bundle (.otioz)",
    "otiod": "OpenTimelineIO folder bundle (.otiod)",
    "edl": "CMX 3600 EDL",
    "fcp-xml": "Final Cut Pro 7 XML (Premiere, Resolve)",
    "fcpxml": "Final Cut Pro X XML (.fcpxml, .fcpxmld)",
    "aaf": "Avid AAF",
}
SUFFIXES = {".kdenlive": "kdenlive", ".mlt": "kdenlive", ".otio": "otio", ".otioz": "otioz", ".otiod": "otiod",
            ".edl": "edl", ".xml": "fcp-xml", ".fcpxml": "fcpxml", ".fcpxmld": "fcpxml", ".aaf": "aaf"}
XML_ROOTS = {"mlt": "kdenlive", "xmeml": "fcp-xml", "fcpxml": "fcpxml"}
OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")  # Microsoft compound file: AAF's container
EDL_EVENT = re.compile(rb"^\s*\d{1,6}\s+\S+\s+\S+\s+(C|D|W\d{3}|K[BO]?)\s", re.MULTILINE)
XML_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*)[\s>/]")
HEAD = 8192


def detect(path: Path, given: str | None = None) -> str:
    """The edit's format: `given` (--format) if set, else its content's, else its extension's."""
    if not path.is_dir():
        regular_file(path, ProjectError, "timeline file")  # a FIFO or a device would block or never end
    if given is not None:
        return given
    found = _by_content(path)
    if found is None:
        found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise ProjectError(f"{path}: cannot tell which editor's format this is; expected one of "
                           f"{', '.join(FORMATS)} (say which with `format`)", setting="format")
    return found


def bundle_file(path: Path, fmt: str) -> Path:
    """The file inside a folder bundle that the reader opens (an .fcpxmld's Info.fcpxml)."""
    if fmt == "fcpxml" and path.is_dir():
        return path / "Info.fcpxml"
    return path


def _by_content(path: Path) -> str | None:
    if path.is_dir():
        if (path / "content.otio").is_file():
            return "otiod"
        if (path / "Info.fcpxml").is_file():
            return "fcpxml"
        raise ProjectError(f"{path}: a folder, but neither an .otiod (content.otio) nor an .fcpxmld "
                           f"(Info.fcpxml) bundle")
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD)
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read the edit ({exc.strerror or exc})") from None
    return _sniff(path, head)


def _sniff(path: Path, head: bytes) -> str | None:
    if head.startswith(OLE_MAGIC):
        return "aaf"
    if head.startswith(b"PK\x03\x04"):
        return "otioz" if _zip_holds_otio(path) else None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"{"):
        return "otio" if b'"OTIO_SCHEMA"' in text else None
    if text.startswith(b"<"):
        return XML_ROOTS.get(_xml_root(text))
    if EDL_EVENT.search(head) or text.startswith((b"TITLE:", b"FCM:")):
        return "edl"
    return None


def _xml_root(text: bytes) -> str | None:
    """The first element's name, past the declaration, comments and the DOCTYPE."""
    body = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", text, flags=re.DOTALL)
    match = XML_ROOT.search(body)
    return match.group(1).decode("ascii", "replace") if match else None


def _zip_holds_otio(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as bundle:
            return "content.otio" in bundle.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
