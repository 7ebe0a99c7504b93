"""Keyboard: key names to events (the window turns glfw key codes into these names)."""

from __future__ import annotations

from livelatent.live.keyboard import CTRL, KNOBS, SHIFT, Keyboard


def keyboard(values=None):
    sent = []
    kb = Keyboard(sent.append, lambda target: (values or {}).get(target, 0.5))
    return kb, sent


def test_number_keys_trigger_slots_with_shift_and_ctrl_banks():
    kb, sent = keyboard()
    for key, mods in (("1", 0), ("0", 0), ("3", SHIFT), ("3", CTRL)):
        kb.press(key, mods)
    assert [str(e) for e in sent] == ["keyframe(0, 1.0)", "keyframe(9, 1.0)", "keyframe(12, 1.0)", "keyframe(22, 1.0)"]
    assert all(e.source == "key" for e in sent)


def test_store_then_slot_and_escape_cancels():
    kb, sent = keyboard()
    kb.press("S")
    assert "STORE" in kb.armed
    kb.press("5")
    kb.press("S")
    kb.press("ESCAPE")   # cancels the store, does not count toward quitting
    kb.press("5")
    assert [str(e) for e in sent] == ["store(4)", "keyframe(4, 1.0)"]


def test_tab_selects_a_knob_arrows_nudge_it_and_l_learns_it():
    kb, sent = keyboard({"motion/damping": 0.98})
    kb.press("TAB")
    assert kb.selected == KNOBS[1] == "motion/damping"
    kb.press("UP")      # clipped at the top of the range
    kb.press("L")
    assert [str(e) for e in sent] == ["motion('damping', 1.0, 'norm')", "learn('motion/damping')"]


def test_quit_needs_a_second_press():
    kb, sent = keyboard()
    kb.press("Q")
    assert sent == [] and "AGAIN" in kb.armed
    kb.press("ESCAPE")
    assert [str(e) for e in sent] == ["quit()"]


def test_random_record_hud_grid_keys():
    kb, sent = keyboard()
    for key in ("R", "SPACE", "H", "G", "KEY999"):
        kb.press(key)
    assert [str(e) for e in sent] == ["keyframe.random()", "record.toggle()", "hud()", "grid()"]
