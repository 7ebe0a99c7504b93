"""Reading OSC datagrams from anyone: cheap rejection, a bounded walk of bundles, a guarded parse.

python-osc's parser trusts its input. One datagram each, sent once, used to end all OSC
control: b"/\\xff\\x00\\x00" (a UnicodeDecodeError it does not catch), ~1,100 nested bundles
(its recursive bundle parser overflows the stack), and a bundle whose element size is
negative (its loop steps backwards and never ends). Here:

  - a datagram that cannot be ours never gets here: the listener (osc_listener.py) drops it on
    its first bytes or its address, before any parsing;
  - bundles are walked here, without recursion, at most MAX_DEPTH deep and MAX_MESSAGES
    messages in all, each element's size checked against what is left (a size that is not
    positive or runs past the end is an error, never a step backwards);
  - each message's type tags are checked before python-osc parses it (only the types it
    knows, arrays at most MAX_ARRAY_DEPTH deep), and the parse itself runs under a guard
    that turns any exception into a reason.

Time tags are not waited for: a bundle's messages apply on arrival, in order.

    messages = read_datagram(data)      # [(address, params), ...], or raises BadDatagram
"""

from __future__ import annotations

import functools
import struct

from pythonosc.osc_message import OscMessage

from livelatent.errors import ControlMessageError, shorten

PREFIX = b"/livelatent/"
BUNDLE = b"#bundle\0"
BUNDLE_HEADER = len(BUNDLE) + 8  # the prefix and a 64-bit time tag
MAX_DEPTH = 8  # bundles within bundles
MAX_MESSAGES = 1024  # messages in one datagram (a 64 KiB datagram holds at most ~4,000)
MAX_ARRAY_DEPTH = 4
TYPE_TAGS = b"ifdsbhrmtTFN[]"  # what python-osc parses; others it would skip with a warning
NUMBERS = b"ifdh"  # int32, float32, float64, int64: read here in one struct.unpack


class BadDatagram(ControlMessageError):
    """A datagram that is not OSC we can read; the message says why (one line)."""


def read_datagram(data: bytes) -> list[tuple[str, tuple]]:
    """The (address, params) of every message in the datagram, in order; BadDatagram if any
    part of it cannot be read (a datagram is taken whole or not at all)."""
    if data.startswith(BUNDLE):
        return [read_message(m) for m in split_bundle(data)]
    if data.startswith(b"/"):
        return [read_message(data)]
    raise BadDatagram("neither an OSC message nor a bundle")


def split_bundle(data: bytes, max_depth: int = MAX_DEPTH, max_messages: int = MAX_MESSAGES) -> list[bytes]:
    """The message datagrams of a bundle, depth first in order, without recursion.
    Views, not copies, of what is left: a 64 KiB bundle of tiny elements stays linear."""
    messages: list[bytes] = []
    stack = [(_bundle_body(memoryview(data)), 1)]  # (a bundle's element bytes, its depth); the top is read next
    while stack:
        body, depth = stack.pop()
        if not body:
            continue
        element, rest = _first_element(body)
        stack.append((rest, depth))
        head = bytes(element[:len(BUNDLE)])
        if head == BUNDLE:
            if depth >= max_depth:
                raise BadDatagram(f"bundles nested more than {max_depth} deep")
            stack.append((_bundle_body(element), depth + 1))
        elif head.startswith(b"/"):
            messages.append(bytes(element))
            if len(messages) > max_messages:
                raise BadDatagram(f"more than {max_messages} messages in one datagram")
        else:
            raise BadDatagram("a bundle element is neither a message nor a bundle")
    return messages


def _bundle_body(bundle: memoryview) -> memoryview:
    if len(bundle) < BUNDLE_HEADER:
        raise BadDatagram(f"a bundle of {len(bundle)} bytes: expected at least {BUNDLE_HEADER} (prefix, time tag)")
    return bundle[BUNDLE_HEADER:]


def _first_element(body: memoryview) -> tuple[memoryview, memoryview]:
    """(the first element, the rest): each element is a big-endian int32 size, then that many bytes."""
    if len(body) < 4:
        raise BadDatagram(f"a bundle element size cut short ({len(body)} bytes)")
    size = int.from_bytes(body[:4], "big", signed=True)
    if not 0 < size <= len(body) - 4:
        raise BadDatagram(f"a bundle element of {size} bytes where {len(body) - 4} are left")
    return body[4: 4 + size], body[4 + size:]


def read_message(data: bytes) -> tuple[str, tuple]:
    """One message datagram to (address, params), checked before python-osc sees it.
    Numbers only (what faders, buttons and /livelatent/z send): one struct.unpack here."""
    end, tags, args_at = _layout(data)
    if tags and not tags.translate(None, NUMBERS):
        numbers = _numbers(tags)
        if len(data) - args_at < numbers.size:
            raise BadDatagram(f"{_address_for_log(data)}: arguments cut short ({len(data) - args_at} bytes for "
                              f"{len(tags)} numbers of {numbers.size})")
        try:
            return data[:end].decode("utf-8"), numbers.unpack_from(data, args_at)
        except UnicodeDecodeError as exc:
            raise BadDatagram(f"{_address_for_log(data)}: not valid OSC (address: {exc.reason})") from None
    try:
        message = OscMessage(data)
        return message.address, tuple(message.params)
    except Exception as exc:  # noqa: BLE001 - UnicodeDecodeError, ParseError, anything: one reason
        raise BadDatagram(f"{_address_for_log(data)}: not valid OSC ({type(exc).__name__}: "
                          f"{shorten(str(exc), 80)})") from None


def _layout(data: bytes) -> tuple[int, bytes, int]:
    """(where the address ends, the type tags without ',', where the arguments start), checked:
    only tags python-osc knows, arrays at most MAX_ARRAY_DEPTH deep."""
    end = data.find(b"\0")
    if end < 0:
        raise BadDatagram(f"{_address_for_log(data)}: address not terminated")
    start = _padded(end + 1)
    if start >= len(data):
        return end, b"", start  # no type tag: a message without arguments
    if data[start:start + 1] != b",":
        raise BadDatagram(f"{_address_for_log(data)}: type tags must start with ','")
    tags_end = data.find(b"\0", start)
    tags_end = len(data) if tags_end < 0 else tags_end
    tags = data[start + 1: tags_end]
    unknown = tags.translate(None, TYPE_TAGS)
    if unknown:
        raise BadDatagram(f"{_address_for_log(data)}: unsupported type tag(s) "
                          f"{shorten(bytes(sorted(set(unknown))).decode('latin-1'), 20)!r}")
    if b"[" in tags or b"]" in tags:  # (a z's 512 tags are not walked one by one)
        _check_arrays(data, tags)
    return end, tags, _padded(tags_end + 1)


def _check_arrays(data: bytes, tags: bytes) -> None:
    depth = 0
    for tag in tags:
        depth += (tag == 0x5B) - (tag == 0x5D)  # '[' and ']'
        if depth > MAX_ARRAY_DEPTH:
            raise BadDatagram(f"{_address_for_log(data)}: arrays nested more than {MAX_ARRAY_DEPTH} deep")
        if depth < 0:
            raise BadDatagram(f"{_address_for_log(data)}: an array closed that was not opened")


@functools.lru_cache(maxsize=64)
def _numbers(tags: bytes) -> struct.Struct:
    """The struct reading arguments of these type tags (numbers only), compiled once."""
    return struct.Struct(">" + tags.decode().replace("h", "q"))


def _padded(n: int) -> int:
    return (n + 3) // 4 * 4


def _address_for_log(data: bytes) -> str:
    end = data.find(b"\0")
    return shorten(data[: end if end >= 0 else len(data)].decode("utf-8", "replace"))
