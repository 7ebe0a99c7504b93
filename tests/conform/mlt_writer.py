"""Write a random Edit as Shotcut writes its .mlt projects, or as hand-made plain MLT XML.

shotcut  `<chain>` per clip (timewarp `<producer>` for speed), a `background` playlist of a
         colour producer as track 0, one playlist per track with shotcut:name / shotcut:video,
         same-track transitions as tractors (two cuts, a luma and a mix) entered between the
         shortened clips, frei0r.cairoblend and mix transitions in the main tractor.
mlt      what melt reads but neither editor writes, chosen per seed (Edit.style): tracks wrapped
         in `<multitrack>`, producers without length or out (melt asks the file), mixes as a
         track tractor of two playlists or as Shotcut's transition tractors, a black, transparent
         or no background track, nested tractors as entries, inverted in/out (played forwards),
         producers with their own in point (their cuts count from it).
"""

from __future__ import annotations

from fractions import Fraction

from livelatent.mlt_time import format_clock

from .kdenlive_writer import Blank, Cut, Nest, _freeze, _profile, _props
from .random_edit import Edit, Mix, Track, as_lanes, item_length, producer_frames


class _MltDoc:
    def __init__(self, edit: Edit):
        self.edit, self.fps = edit, edit.fps
        self.shotcut = edit.structure == "shotcut"
        self.style = edit.style
        self.parts: list[str] = []
        self.count = 0
        self.offset: dict[str, int] = {}  # a producer's own in: its cuts count from there

    def t(self, frames: int) -> str:
        return format_clock(frames, self.fps) if self.shotcut or frames % 2 else str(frames)

    def new_id(self, kind: str) -> str:
        self.count += 1
        return f"{kind}{self.count}"

    # ---- clips ----
    def producer(self, cut: Cut) -> str:
        clip, frames = cut.clip, producer_frames(cut.clip, self.fps, cut.speed)
        test = _props(set_dot_test_image=1) if cut.disabled else ""
        length = self.shotcut or self.style.get("lengths")
        span = f' in="{self.t(0)}" out="{self.t(frames - 1)}"' if length else ""
        size = _props(length=self.t(frames)) if length else ""
        caption = _props(shotcut__caption=f"clip{clip.code}") if self.shotcut else ""
        if cut.speed != 1:
            pid = self.new_id("producer")
            body = _props(resource=f"{cut.speed:g}:{clip.path}", mlt_service="timewarp")
            if self.shotcut:
                body += _props(warp_speed=f"{cut.speed:g}", warp_resource=clip.path, shotcut__producer="avformat")
            self.parts.append(f'<producer id="{pid}"{span}>{size}{body}{caption}{test}</producer>')
            return pid
        tag = "chain" if self.shotcut or cut.remap else "producer"
        pid = self.new_id(tag)
        if self.style.get("offsets") and not self.shotcut and tag == "producer" and not cut.freeze:
            self.offset[pid] = min(cut.first, 7)
            span = f' in="{self.t(self.offset[pid])}"' + (f' out="{self.t(frames - 1)}"' if length else "")
        service = "avformat-novalidate" if self.shotcut else "avformat"
        link = ""
        if cut.remap:
            link = f"<link>{_props(mlt_service='timeremap', time_map=cut.remap, image_mode='nearest')}</link>"
        self.parts.append(f'<{tag} id="{pid}"{span}>{size}{_props(resource=clip.path, mlt_service=service)}'
                          f"{caption}{test}{link}</{tag}>")
        return pid

    def entry(self, producer: str, first: int, last: int, freeze=None) -> str:
        first, last = first - self.offset.get(producer, 0), last - self.offset.get(producer, 0)
        if self.style.get("inverted") and not self.shotcut and (first + last) % 2:
            first, last = last, first  # melt plays an inverted cut forwards
        return (f'<entry producer="{producer}" in="{self.t(first)}" out="{self.t(last)}">{_freeze(freeze)}'
                "</entry>")

    def transition_tractor(self, a: tuple[str, int], b: tuple[str, int], length: int) -> str:
        """Shotcut's same-track transition: the outgoing cut's tail and the incoming cut's head."""
        tid = self.new_id("tractor")
        tracks = "".join(f'<track producer="{pid}" in="{self.t(first - self.offset.get(pid, 0))}" '
                         f'out="{self.t(first - self.offset.get(pid, 0) + length - 1)}"/>' for pid, first in (a, b))
        luma = _props(a_track=0, b_track=1, factory="loader", mlt_service="luma", alpha_over=1,
                      fix_background_alpha=1)
        mix = _props(a_track=0, b_track=1, start=-1, accepts_blanks=1, mlt_service="mix")
        self.parts.append(f'<tractor id="{tid}" in="{self.t(0)}" out="{self.t(length - 1)}">'
                          f'{_props(shotcut__transition="lumaMix")}{tracks}'
                          f'<transition out="{self.t(length - 1)}">{luma}</transition>'
                          f'<transition out="{self.t(length - 1)}">{mix}</transition></tractor>')
        return tid

    # ---- tracks ----
    def playlist(self, items: list, name: str, nests: dict[str, str]) -> str:
        """A playlist of the items; mixes as transition tractors between shortened entries."""
        pid, body = self.new_id("playlist"), []
        ids = [self.producer(i) if isinstance(i, Cut) else None for i in items]
        trims = [[0, 0] for _ in items]  # frames taken off each item's head and tail by mixes
        for k, item in enumerate(items):
            if isinstance(item, Mix):
                trims[k - 1][1] += item.length
                trims[k + 1][0] += item.length
        for k, item in enumerate(items):
            if isinstance(item, Blank):
                body.append(f'<blank length="{self.t(item.length)}"/>')
            elif isinstance(item, Mix):
                before, after = items[k - 1], items[k + 1]
                tid = self.transition_tractor((ids[k - 1], before.last - item.length + 1), (ids[k + 1], after.first),
                                              item.length)
                body.append(f'<entry producer="{tid}" in="{self.t(0)}" out="{self.t(item.length - 1)}"/>')
            elif isinstance(item, Nest):
                body.append(f'<entry producer="{nests[item.sequence]}" in="{self.t(item.first)}" '
                            f'out="{self.t(item.last)}"/>')
            else:
                head, tail = trims[k]
                body.append(self.entry(ids[k], item.first + head, item.last - tail, item.freeze))
        flags = _props(shotcut__video=1, shotcut__name=name) if self.shotcut else ""
        self.parts.append(f'<playlist id="{pid}">{flags}{"".join(body)}</playlist>')
        return pid

    def lanes_tractor(self, track: Track, nests: dict[str, str]) -> str:
        """Kdenlive's layout in plain MLT: a tractor of two playlists and luma mixes between them."""
        lane0, lane1, mixes = as_lanes(track)
        refs = [self.playlist(lane, "", nests) for lane in (lane0, lane1)]
        tid = self.new_id("tractor")
        luma = "".join(f'<transition in="{self.t(s)}" out="{self.t(e)}">'
                       + _props(a_track=0, b_track=1, mlt_service="luma", reverse=int(r)) + "</transition>"
                       for s, e, r in mixes)
        self.parts.append(f'<tractor id="{tid}">{self.tracks([(r, False) for r in refs])}{luma}</tractor>')
        return tid

    def tracks(self, refs: list[tuple[str, bool]]) -> str:
        body = "".join(f'<track producer="{r}"{" hide=" + chr(34) + "video" + chr(34) if hidden else ""}/>'
                       for r, hidden in refs)
        return f"<multitrack>{body}</multitrack>" if self.style.get("multitrack") and not self.shotcut else body

    def track(self, track: Track, index: int, nests: dict[str, str]) -> str:
        if not self.shotcut and self.style.get("lanes") and any(isinstance(i, Mix) for i in track.items):
            return self.lanes_tractor(track, nests)
        return self.playlist(track.items, f"V{index + 1}", nests)

    def background(self, length: int) -> str | None:
        colour = "0" if self.shotcut else {"black": "black", "transparent": "#00000000"}.get(
            self.style.get("background"))
        if colour is None:
            return None
        self.parts.append(f'<producer id="black" in="{self.t(0)}" out="{self.t(length - 1)}">'
                          f'{_props(length=self.t(length), resource=colour, mlt_service="color")}</producer>'
                          f'<playlist id="background"><entry producer="black" in="{self.t(0)}" '
                          f'out="{self.t(length - 1)}"/></playlist>')
        return "background"

    def dissolve(self, a: int, b: int, start: int, end: int, reverse: bool) -> str:
        """A luma between tracks (b above a)."""
        return (f'<transition in="{self.t(start)}" out="{self.t(end)}">'
                + _props(a_track=a, b_track=b, mlt_service="luma", reverse=int(reverse)) + "</transition>")

    def shotcut_compositing(self, k: int) -> str:
        """Shotcut's sound mix onto the background and its compositor onto the track below
        (off for V1, which lies on the background)."""
        mix = _props(a_track=0, b_track=k, mlt_service="mix", always_active=1, sum=1)
        blend = _props(a_track=max(k - 1, 0), b_track=k, version="0.9", mlt_service="frei0r.cairoblend",
                       disable=int(k == 1))
        return f"<transition>{mix}</transition><transition>{blend}</transition>"

    def timeline(self, tracks: list[Track], nests: list[dict[str, str]], compositions, top: bool) -> str:
        """A tractor of the tracks; nests[k]: the nested tractors track k plays, by sequence name."""
        length = max(sum(item_length(i) for i in t.items) for t in tracks)
        refs = [(self.track(t, k, nests[k]), t.hidden) for k, t in enumerate(tracks)]
        base = self.background(length) if top else None
        offset = 1 if base else 0
        refs = ([(base, False)] if base else []) + refs
        blends = "".join(self.dissolve(a + offset if a >= 0 else 0, b + offset, s, e, r)
                         for a, b, s, e, r in compositions)
        if self.shotcut and top:
            blends += "".join(self.shotcut_compositing(k) for k in range(1, len(refs)))
        tid = self.new_id("tractor")
        title = _props(shotcut=1) if self.shotcut and top else ""
        self.parts.append(f'<tractor id="{tid}">{title}{self.tracks(refs)}{blends}</tractor>')
        return tid


def write_mlt(edit: Edit) -> str:
    """The edit as a Shotcut project (edit.structure == "shotcut") or plain MLT XML."""
    doc = _MltDoc(edit)
    # a copy of a nested tractor for each track that plays it: melt cannot play one tractor on
    # two tracks at once (Kdenlive writes copies too)
    nests = [{name: doc.timeline(inner, [{}] * len(inner), (), top=False) for name, inner in edit.nested.items()
              if any(isinstance(i, Nest) and i.sequence == name for i in track.items)} for track in edit.tracks]
    doc.timeline(edit.tracks, nests, edit.compositions, top=True)
    head = ' title="Shotcut version 24.02.29" producer="main_bin"' if doc.shotcut else ""
    bin_xml = f'<playlist id="main_bin">{_props(xml_retain=1)}</playlist>' if doc.shotcut else ""
    return (f"<?xml version='1.0' encoding='utf-8'?>\n<mlt LC_NUMERIC=\"C\" version=\"7.12.0\"{head}>"
            f"{_profile(edit.fps)}{bin_xml}{''.join(doc.parts)}</mlt>\n")
