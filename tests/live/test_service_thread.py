"""A part of the show's own thread: stopped the one way, whatever it is waiting on."""

import threading

from livelatent.live.mailbox import Mailbox
from livelatent.live.service_thread import ServiceThread


def test_a_thread_waiting_on_its_mailbox_is_woken_and_ends_when_stopped():
    box, taken, took = Mailbox(), [], threading.Event()

    def run():
        while not service.stopping.is_set():
            item = box.take()  # no time limit: only a put or the stop's wake ends it
            if item is not None:
                taken.append(item)
                took.set()

    service = ServiceThread(run, "test-service", wake=box.wake)
    service.start()
    box.put("frame")
    assert took.wait(10)
    service.stop(timeout=10)  # the thread is back in take(), waiting with no limit
    assert not service._thread.is_alive() and service._thread.daemon and taken == ["frame"]


def test_a_stop_before_the_start_or_a_second_stop_is_harmless():
    never = ServiceThread(lambda: None, "test-never")
    never.stop(timeout=1)
    done = threading.Event()
    once = ServiceThread(done.set, "test-once")
    once.start()
    once.stop(timeout=10)
    once.stop(timeout=10)
    assert done.is_set() and once.stopping.is_set()
