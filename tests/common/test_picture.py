"""Psi and class as controls like any other, the picture track a take keeps, and the batch a
render decodes in, chosen by measuring."""

import time

import pytest

from livelatent.instrument.actions import ACTIONS, ControlEvent, coalesce, make
from livelatent.errors import ControlMessageError, ZSequenceError
from livelatent.generators.batching import BatchPlanner
from livelatent.instrument.mapping import MidiBinding, MidiMap, midi_event, osc_event
from livelatent.instrument.addresses import check_target
from livelatent.common.picture import Picture, PictureTrack


def test_psi_and_class_are_actions_of_the_control_vocabulary_from_osc_and_midi():
    assert {"model.psi", "model.class"} <= set(ACTIONS)
    assert osc_event("/livelatent/model/psi", (0.25,)) == make("model.psi", 0.25, "norm", source="osc")
    assert osc_event("/livelatent/model/psi/raw", (1.5,)) == make("model.psi", 1.5, "raw", source="osc")
    assert osc_event("/livelatent/model/class", (2,)) == make("model.class", 2, source="osc")
    assert osc_event("/livelatent/model/class/3", ()) == make("model.class", 3, source="osc")
    assert osc_event("/livelatent/model/class/3", (0,)) is None  # a button's release
    midimap = MidiMap((MidiBinding("cc", 7, check_target("model/psi")), MidiBinding("note", 60, "model/class/5")))
    assert midi_event(midimap, "cc", 1, 7, 127) == make("model.psi", 1.0, "norm", source="midi")
    assert midi_event(midimap, "note_on", 1, 60, 100) == make("model.class", 5, source="midi")
    for event in (make("model.psi", 0.5, "raw"), make("model.class", 4)):
        assert ControlEvent.from_dict(event.to_dict()) == event  # logged, replayed
    streamed = [make("model.psi", v / 10) for v in range(10)]
    assert coalesce(streamed) == streamed[-1:]  # a fader streamed at one tick sets psi once


def test_bad_psi_and_class_messages_name_what_was_expected():
    with pytest.raises(ControlMessageError, match=r"/livelatent/model/psi \[3.0\]: .*normalised psi must be in 0..1"):
        osc_event("/livelatent/model/psi", (3.0,))
    with pytest.raises(ControlMessageError, match=r"psi 9.0: expected -2..2"):
        osc_event("/livelatent/model/psi/raw", (9.0,))
    with pytest.raises(ControlMessageError, match="expected one class number >= 0"):
        osc_event("/livelatent/model/class", (-1,))


def applied(picture, event):
    return picture.apply(event.action, event.args)


def test_a_picture_changes_with_its_events_and_a_track_says_each_frames_picture():
    start = Picture(psi=0.7, class_idx=1)
    later = applied(applied(start, make("model.psi", 0.5, "norm")), make("model.class", 3))
    assert later == Picture(psi=0.5, class_idx=3)
    assert applied(start, make("snapshot", 2)) == Picture(psi=0.7, class_idx=1, snapshot=2)
    track = PictureTrack(start, [(10, later)])
    assert [track.at(k) for k in (0, 9, 10, 99)] == [start, start, later, later]
    assert track.runs(5, 15) == [(5, 10, start), (10, 15, later)]
    assert PictureTrack.from_meta(track.to_meta()) == track
    assert track.resampled(30, 60).changes == [(20, later)]
    assert track.replaced(psi=1.0).at(50) == Picture(psi=1.0, class_idx=3)


@pytest.mark.parametrize("picture, message", [
    ({"psi": "high"}, "psi 'high': expected a number"),
    ({"psi": 7}, "psi 7: expected -2..2"),
    ({"class": -2}, "class -2: expected a whole number >= 0 or null"),
    ({"noise_mode": "random"}, "noise mode 'random': expected one of const, none"),
    ({"colour": 1}, "unknown key 'colour'"),
])
def test_a_sidecars_picture_is_checked_in_one_line(picture, message):
    with pytest.raises(ZSequenceError, match=message):
        PictureTrack.from_meta({"picture": picture}, "reel.json")


def costs(per_batch):
    """A planner driven by a model whose decode of n frames costs per_batch(n) seconds."""
    planner, sizes = BatchPlanner(), []
    for _ in range(8):
        n = planner.next_size()
        sizes.append(n)
        planner.record(n, per_batch(n))
    return planner.chosen, sizes


def test_the_batch_is_measured_not_assumed():
    # stylegan3 on the CPU: a frame costs more in a batch (issue 12: 9.9 s vs 22.4 s for 8 frames)
    assert costs(lambda n: 1.2 * n * (1 + 0.2 * (n - 1))) == (1, [1, 1, 2, 1, 1, 1, 1, 1])
    # a model that batches well: 16 (the limit), every measured decode a frame of the render
    assert costs(lambda n: 0.01 + 0.002 * n) == (16, [1, 1, 2, 4, 8, 16, 16, 16])
    # batching helps up to 4, then no longer
    assert costs(lambda n: 0.05 * n / min(n, 4)) == (4, [1, 1, 2, 4, 8, 4, 4, 4])
    assert BatchPlanner(fixed=3).next_size() == 3


def test_a_measured_batch_is_kept_for_the_same_generator():
    class Model:
        pass

    model = Model()
    planner = BatchPlanner.for_generator(model)
    for n, seconds in ((1, 9.0), (1, 1.0), (2, 1.0), (4, 2.0)):  # warm-up, then 1, 0.5, 0.5 s a frame
        assert planner.next_size() == n
        planner.record(n, seconds)
    assert planner.chosen == 2
    assert BatchPlanner.for_generator(model).next_size() == 2  # no measuring again
    assert BatchPlanner.for_generator(Model()).next_size() == 1  # another model: measured anew


def test_the_decode_workers_cpu_threads_are_measured_in_its_own_thread():
    import threading

    import torch

    from livelatent.generators.batching import fastest_threads

    def contended_decode():  # as on a busy machine: every thread past the first costs more than it gives
        time.sleep(0.002 * torch.get_num_threads())

    chosen = []
    worker = threading.Thread(target=lambda: chosen.append((fastest_threads(contended_decode),
                                                            torch.get_num_threads())))
    worker.start()
    worker.join()
    assert chosen == [(1, 1)]
    assert in_a_new_thread(torch.get_num_threads) == torch.get_num_threads()  # the choice stays the worker's


def in_a_new_thread(call):
    import threading

    out = []
    thread = threading.Thread(target=lambda: out.append(call()))
    thread.start()
    thread.join()
    return out[0]


def test_one_thread_is_kept_only_where_it_decodes_the_same_bits_as_torchs_count():
    """A proxy frame must be the render's decode(z) byte for byte, whatever the load was when
    the worker timed its threads: a count that rounds otherwise is never chosen for speed."""
    import torch

    from livelatent.generators.batching import fastest_threads, set_threads_here

    default = torch.get_num_threads()
    if default < 2:
        pytest.skip("torch has one CPU thread here: there is no other count to choose")

    def rounding_by_threads():  # faster on one thread, but its sums split otherwise
        time.sleep(0.002 * torch.get_num_threads())
        return torch.tensor([1.0 + torch.get_num_threads() * 2.0 ** -20])

    assert in_a_new_thread(lambda: (fastest_threads(rounding_by_threads), torch.get_num_threads())) == (default, default)
    assert in_a_new_thread(lambda: (set_threads_here(1), torch.get_num_threads())) == (None, 1)
    assert in_a_new_thread(torch.get_num_threads) == default  # a pool worker's 1 is its own
