"""The decode worker: newest request wins, and it goes from one decode straight to the next."""

from __future__ import annotations

import threading

import numpy as np

from livelatent.live.decoder import DecodeWorker, Frame


class SlowModel:
    """Decodes z (a 1-vector holding a frame number) once the test lets it; logs what it decoded."""

    def __init__(self) -> None:
        self.started: list[int] = []
        self.gates: dict[int, threading.Event] = {}
        self.began = threading.Condition()

    def decode(self, z: np.ndarray) -> np.ndarray:
        k = int(z[0])
        with self.began:
            self.started.append(k)
            self.gates.setdefault(k, threading.Event())
            self.began.notify_all()
        self.gates[k].wait(5)
        if k < 0:
            raise RuntimeError("out of memory")
        return np.full((2, 2, 3), k, np.uint8)

    def finish(self, k: int) -> None:
        with self.began:
            self.gates.setdefault(k, threading.Event()).set()

    def wait_started(self, n: int) -> bool:
        with self.began:
            return self.began.wait_for(lambda: len(self.started) >= n, 5)


def frame(k: int) -> Frame:
    return Frame(k, np.array([float(k)]), False, tick=k)


def test_the_newest_request_is_decoded_next_without_waiting_for_the_last_image_to_be_taken():
    model = SlowModel()
    worker = DecodeWorker(lambda f: model.decode(f.z))
    try:
        worker.request(frame(1))
        assert model.wait_started(1)
        worker.request(frame(2))  # replaced before it starts: never decoded
        worker.request(frame(3))
        model.finish(1)
        assert model.wait_started(2)  # frame 1's image is still waiting to be taken
        assert model.started == [1, 3]
        done = worker.take(timeout=5)
        assert done.frame.k == 1 and done.image[0, 0, 0] == 1 and not worker.idle
        model.finish(3)
        assert worker.take(timeout=5).frame.k == 3
        assert worker.idle
    finally:
        for k in (1, 2, 3):
            model.finish(k)
        worker.close()


def test_a_sample_becomes_a_frame_only_when_its_decode_starts():
    class Sample:
        made = 0

        def __init__(self, k):
            self.k = k

        def frame(self):
            Sample.made += 1
            return frame(self.k)

    model = SlowModel()
    worker = DecodeWorker(lambda f: model.decode(f.z))
    try:
        worker.request(frame(1))
        assert model.wait_started(1)
        for k in range(10, 20):  # a fine display grid: most samples are replaced unseen
            worker.request(Sample(k))
        model.finish(1)
        assert model.wait_started(2) and model.started == [1, 19] and Sample.made == 1
    finally:
        for k in (1, 19):
            model.finish(k)
        worker.close()


def test_a_model_error_comes_back_as_a_result_and_the_worker_goes_on():
    model = SlowModel()
    worker = DecodeWorker(lambda f: model.decode(f.z))
    try:
        model.finish(-1)
        worker.request(frame(-1))
        failed = worker.take(timeout=5)
        assert failed.image is None and "out of memory" in str(failed.error)
        model.finish(4)
        worker.request(frame(4))
        assert worker.take(timeout=5).image[0, 0, 0] == 4
    finally:
        worker.close()
