"""mDNS (zeroconf) announcements of the OSC and OSCQuery services, so TouchDesigner, Chataigne
or Vezér on another machine find livelatent without anyone typing an address:

    _osc._udp.local.        livelatent._osc._udp.local.      the OSC port
    _oscjson._tcp.local.    livelatent._oscjson._tcp.local.  the OSCQuery port (TXT osc_port=...)

Only when OSC listens beyond loopback (`--osc-host 0.0.0.0` or an interface's address): on
loopback nothing outside this machine could reach the show, and nothing is sent. The only
zeroconf (and ifaddr) importer (the `discovery` extra); without it, one line says so and the show goes on.
Registering probes the network for about a second: it runs on a thread of its own, never
delaying the show; a network that refuses multicast is one line on the console.

    withdraw = announce("0.0.0.0", osc_port=9331, query_port=9331, log=log)   # None on loopback
    withdraw()                                                                # goodbye packets
"""

from __future__ import annotations

from livelatent.live.service_thread import ServiceThread

OSC_TYPE = "_osc._udp.local."
OSCQUERY_TYPE = "_oscjson._tcp.local."
NAME = "livelatent"


def beyond_loopback(host: str) -> bool:
    return not (host.startswith("127.") or host in ("localhost", "::1"))


def announce(host: str, *, osc_port: int, query_port: int | None, log):
    """Announce OSC (and OSCQuery, when served) if `host` reaches beyond loopback; returns what
    withdraws the announcements, or None when nothing is announced."""
    if not beyond_loopback(host):
        return None
    try:
        import ifaddr  # zeroconf's own dependency: the interfaces' addresses
        import zeroconf
    except ImportError:
        log.log("mdns", f"OSC on {host}: not announced on the network (pip install 'livelatent[discovery]' "
                        "for mDNS); clients can still be pointed at it")
        return None
    addresses = _addresses(host, ifaddr)
    services = [zeroconf.ServiceInfo(OSC_TYPE, f"{NAME}.{OSC_TYPE}", port=osc_port, parsed_addresses=addresses)]
    if query_port:
        services.append(zeroconf.ServiceInfo(OSCQUERY_TYPE, f"{NAME}.{OSCQUERY_TYPE}", port=query_port,
                                             parsed_addresses=addresses, properties={"osc_port": str(osc_port)}))
    return _Announcement(zeroconf.Zeroconf, services, log).start().withdraw


def _addresses(host: str, ifaddr) -> list[str]:
    """What the records point at: the one address listened on, else every interface's (those
    beyond loopback where there are any; the interfaces looked up only then)."""
    if host != "0.0.0.0":
        return [host]
    interfaces = [ip.ip for adapter in ifaddr.get_adapters() for ip in adapter.ips if ip.is_IPv4]
    outside = [a for a in interfaces if beyond_loopback(a)]
    return outside or list(interfaces)


class _Announcement:
    def __init__(self, make_zeroconf, services: list, log) -> None:
        self.make_zeroconf, self.services, self.log = make_zeroconf, services, log
        self.zc = None
        self._service = ServiceThread(self._register, "mdns")  # registering: about a second

    def start(self) -> "_Announcement":
        self._service.start()
        return self

    def _register(self) -> None:
        try:
            self.zc = self.make_zeroconf()
            for info in self.services:
                self.zc.register_service(info, allow_name_change=True)  # a second show: "livelatent (2)"
        except Exception as exc:  # noqa: BLE001 - zeroconf's and the network's errors: the show goes on
            self.log.log("mdns", f"mDNS: cannot announce OSC ({type(exc).__name__}: {exc}); "
                                 "clients can still be pointed at it")
            return
        names = ", ".join(f"{info.name} port {info.port}" for info in self.services)
        self.log.log("mdns", f"announced over mDNS: {names}")

    def withdraw(self) -> None:
        self._service.stop(timeout=5)  # a registration still probing finishes first
        if self.zc is not None:
            try:
                self.zc.unregister_all_services()
            finally:
                self.zc.close()
