"""The OSC process's reading: datagrams to checked events, a flood's junk dropped unparsed.

A flood of junk costs the show's machine what reading it costs (the OSC process shares the
cores with the loop), so each datagram is triaged on its first bytes before anything is
parsed or formatted:

  - neither a message under /livelatent/ nor a bundle: dropped on a comparison;
  - a message: its address (the bytes up to the first NUL) is looked up in a bounded table of
    the addresses seen; one without a route (a typo, a bit flip, another program's space,
    an unterminated or overlong address) is dropped unparsed: no message to it can apply;
  - a knob message a later one in the burst supersedes: skipped unparsed (below);
  - anything else (a message to an address there is, a bundle): read in full, trusting
    nothing (osc_datagrams.read_datagram, then mapping.osc_event).

A dropped datagram's log line is made only when the rate-limited log prints it (at most one a
second per kind): then it is the line the full reading gives.

    listener = Listener(sock, d=512, allow=None, log=RateLimitedLog(sink=lines.append))
    events = listener.read_burst()     # every datagram waiting, coalesced; [] after a timeout
"""

from __future__ import annotations

import select

from livelatent.errors import ControlMessageError, shorten
from livelatent.instrument.actions import ACTIONS, coalesce_between_triggers, supersede_key
from livelatent.instrument.mapping import KNOB_ADDRESS, address_kind, osc_event
from livelatent.live.osc_datagrams import BUNDLE, PREFIX, BadDatagram, read_datagram
from livelatent.live.ratelog import RateLimitedLog

MAX_BURST = 4096  # datagrams read before the burst's events are sent on
MAX_ADDRESSES = 1024  # addresses remembered: a flood of ever-new ones empties the table, never grows it
MAX_ADDRESS = 128  # bytes: longer addresses have no route (the longest route is ~40)
NO_ROUTE, NOT_OURS, IN_FULL = "no route", "not ours", "in full"  # the triage's verdicts besides a kind


class Listener:
    """The socket side: datagrams to checked events. Counts every datagram received, every
    message in them, and every datagram or message dropped (`rejected`)."""

    def __init__(self, sock, d: int | None, allow: set | None, log: RateLimitedLog) -> None:
        self.sock, self.d, self.allow, self.log = sock, d, allow, log
        self.datagrams = self.messages = self.rejected = 0
        self.last_burst = 0
        self._kinds: dict[bytes, str] = {}  # address -> address_kind(), NO_ROUTE for none
        self._paced_at: dict[str, float] = {}  # action -> when the last one with a min_interval crossed

    def counts(self) -> tuple[int, int, int]:
        return self.datagrams, self.messages, self.rejected

    def read_burst(self, timeout: float = 0.2) -> list:
        """Events of every datagram waiting (up to MAX_BURST), after waiting up to `timeout`
        for the first ([] if none)."""
        if not select.select([self.sock], [], [], timeout)[0]:
            self.last_burst = 0
            return []
        packets, recv = [], self.sock.recvfrom
        try:
            while len(packets) < MAX_BURST:
                packets.append(recv(65536))  # non-blocking: ends when the queue is empty
        except (BlockingIOError, InterruptedError):
            pass
        self.last_burst = len(packets)
        self.datagrams += len(packets)
        return self.events(packets)

    def events(self, packets: list) -> list:
        """The events of (datagram, sender) pairs, in order. Walking back from the latest, a
        knob message is skipped unparsed (counted) when a valid later one to the same address
        follows it with no trigger in between: a fader streamed at 10,000 values a second costs
        one parse a burst. Triggers all cross, in order, each after the knob values sent before it."""
        events, valid_later = [], set()
        for data, sender in reversed(packets):
            kind, address = self._triage(data)
            if kind == KNOB_ADDRESS and address in valid_later:
                self.messages += 1
                continue
            new = self._datagram(data, sender, kind, address)
            if kind == KNOB_ADDRESS and new:
                valid_later.add(address)
            elif new and any(supersede_key(e) is None for e in new):
                valid_later.clear()  # a trigger: the knob values before it are what it sees
            events.extend(reversed(new))
        events.reverse()
        return coalesce_between_triggers(self._paced(events))

    def _paced(self, events: list) -> list:
        """Events of an action with a min_interval (the table's) at most one per interval, the
        first crossing; the others dropped with a line (the log's clock is the time)."""
        kept = []
        for event in events:
            gap = ACTIONS[event.action].min_interval
            if gap:
                now = self.log.clock.elapsed()
                if now - self._paced_at.get(event.action, -1e9) < gap:
                    self._refuse(f"pace {event.action}", f"OSC {event.action}: at most one each {gap:g} s "
                                                         f"(each goes into the take whole); dropped")
                    continue
                self._paced_at[event.action] = now
            kept.append(event)
        return kept

    def _triage(self, data: bytes) -> tuple[str, bytes | None]:
        """(a verdict or an address kind, the address of a message to one of ours, else None),
        from the first bytes and the table of addresses seen."""
        if not data.startswith(PREFIX):
            return (IN_FULL if data.startswith(BUNDLE) else NOT_OURS), None
        end = data.find(b"\0", len(PREFIX), MAX_ADDRESS + 1)
        if end < 0:
            return NO_ROUTE, None  # unterminated or overlong: a parse error or an address we lack
        address = data[:end]
        kind = self._kinds.get(address)
        if kind is None:
            kind = self._learn(address)
        return kind, address

    def _learn(self, address: bytes) -> str:
        try:
            kind = address_kind(address.decode("utf-8")) or NO_ROUTE
        except UnicodeDecodeError:
            kind = NO_ROUTE
        if len(self._kinds) >= MAX_ADDRESSES:
            self._kinds.clear()  # the addresses in use come back at their next message
        self._kinds[address] = kind
        return kind

    def _datagram(self, data: bytes, sender, kind: str, address: bytes | None) -> list:
        """Its events; a dropped datagram counted and logged."""
        if self.allow is not None and sender[0] not in self.allow:
            self._refuse(f"sender {sender[0]}",
                         lambda: f"OSC from {sender[0]} dropped: not in the allow-list {sorted(self.allow)}")
            return []
        if kind == NOT_OURS:
            self._refuse("not-ours", lambda: f"OSC datagram of {len(data)} bytes from {sender[0]} dropped: not valid "
                                             f"OSC for livelatent (neither a message under /livelatent/ nor a bundle)")
            return []
        if kind == NO_ROUTE:
            if address is not None:  # a message to an address we lack (an unterminated one is not a message)
                self.messages += 1
            self._refuse(_key(address), lambda: self._explain(data, sender))
            return []
        count, events, refusals = read_events(data, sender, self.d)
        self.messages += count
        for key, line in refusals:
            self._refuse(key, line)
        return events

    def _refuse(self, key: str, line) -> None:
        self.rejected += 1
        self.log.log(key, line)

    def _explain(self, data: bytes, sender) -> str:
        """The line a full reading gives for a datagram the triage dropped unread."""
        refusals = read_events(data, sender, self.d)[2]
        return refusals[0][1] if refusals else f"OSC datagram of {len(data)} bytes from {sender[0]} dropped"


def read_events(data: bytes, sender, d: int | None) -> tuple[int, list, list[tuple[str, str]]]:
    """The full reading of a datagram: (its messages' count, their events, the refusals), each
    refusal (its log key, its line). A datagram that cannot be read is one refusal."""
    try:
        messages = read_datagram(data)
    except BadDatagram as exc:
        return 0, [], [("parse", f"OSC datagram of {len(data)} bytes from {sender[0]} dropped: {exc}")]
    events, refusals = [], []
    for address, params in messages:
        try:
            event = osc_event(address, params, d)
        except ControlMessageError as exc:
            refusals.append((address[:40], f"{exc}; dropped"))
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the receiver mid-show
            refusals.append((address[:40], f"OSC {shorten(address)}: {type(exc).__name__}: "
                                           f"{shorten(str(exc), 120)}; dropped"))
        else:
            if event is not None:
                events.append(event)
    return len(messages), events, refusals


def _key(address: bytes | None) -> str:
    """The log key of a message without a route: its address, as far as a key goes."""
    return "parse" if address is None else address[:40].decode("latin-1")
