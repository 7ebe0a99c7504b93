"""What the console draws (Dear ImGui, in the console's process): the bank as thumbnails on the
left, the instrument's state on the right. Every change the operator makes is sent as an
action of the table (send(name, *args)); the show applies it as an event with source "console".

The bank is drawn in the APC mini's layout: 8 x 8, slot 0 at the bottom left. A cell's frame
tells the slot's role (target: orange, the particle on its way; current: white, arrived), the
coloured corner its kind (random: grey, picked from a z-sequence: blue, stored live: green).
Click = trigger, Shift+click (or Ctrl+click) = store the current position into it; hovering
shows the slot's label and where its z came from. Below the grid, a saved bank's path and
"load bank".
"""

from __future__ import annotations

import collections

import numpy as np
from imgui_bundle import imgui, implot
from imgui_bundle.python_backends.glfw_backend import GlfwRenderer

from livelatent.instrument.slot_states import describe
from livelatent.live.console.state import PICTURE_BOX, ConsoleState

COLUMNS = 8
HISTORY = 120  # seconds of frame rate and decode time in the plot
ROLE_COLOURS = {"target": (255, 150, 20), "current": (255, 255, 255)}
HOVER_COLOUR = (170, 170, 180)
KIND_COLOURS = {"random": (110, 110, 120), "picked": (70, 140, 255), "stored": (60, 210, 90)}
PANEL_WIDTH = 560
# the window's background, drawn by glClear rather than by ImGui: llvmpipe clears a window
# almost for free, but shades and blends ImGui's full-window background quad pixel by pixel
BACKGROUND = (0.06, 0.06, 0.065)


def open_imgui(window) -> GlfwRenderer:
    """ImGui's and ImPlot's contexts, and the backend that feeds them the glfw window's input and
    draws them (imgui-bundle's, through PyOpenGL); no imgui.ini is written beside the show."""
    imgui.create_context()
    implot.create_context()
    imgui.get_io().set_ini_filename("")
    return GlfwRenderer(window)


def colour(rgb, alpha: int = 255) -> int:
    return imgui.IM_COL32(*rgb, alpha)


def cell_slot(row: int, col: int, rows: int) -> int:
    """The slot drawn at (row from the top, column): the APC mini's layout, slot 0 bottom left."""
    return (rows - 1 - row) * COLUMNS + col


class Panels:
    def __init__(self, atlas, picture, *, send, cell: int) -> None:
        self.atlas, self.picture, self.send, self.cell = atlas, picture, send, cell
        self.state = ConsoleState()
        self.history: collections.deque = collections.deque(maxlen=HISTORY)  # (t, fps, decode ms)
        self.learn_target = 0
        self.bank_path = ""  # typed into the console, sent with "load bank"
        self._layout = None
        self._widgets: dict[str, list[float]] = {}  # where the named widgets were drawn (the layout)

    @staticmethod
    def mouse_moved(_window, x: float, y: float) -> None:
        imgui.get_io().add_mouse_pos_event(x, y)

    def take(self, kind: str, value) -> None:
        """A message from the show: its state, a thumbnail, the small picture, the figures."""
        if kind == "state":
            self.state = value
        elif kind == "thumb":
            self.atlas.put(*value)
        elif kind == "picture":
            self.picture.put(value)
        elif kind == "stats":
            self.history.append(value)

    def frame(self, renderer, window_size, clear) -> dict | None:
        """One frame: the input since the last, the widgets, then clear() and the drawing. Returns
        the bank's layout when it changed since it was last returned (else None)."""
        renderer.process_inputs()
        imgui.new_frame()
        layout = self.draw(window_size)
        imgui.render()
        clear(BACKGROUND)
        renderer.render(imgui.get_draw_data())
        return layout

    def draw(self, window_size) -> dict | None:
        """The whole window's widgets; the bank's layout when it changed (else None)."""
        imgui.set_next_window_pos(imgui.ImVec2(0, 0))
        imgui.set_next_window_size(imgui.ImVec2(*window_size))
        imgui.begin("livelatent console", None, imgui.WindowFlags_.no_decoration | imgui.WindowFlags_.no_move
                    | imgui.WindowFlags_.no_saved_settings | imgui.WindowFlags_.no_bring_to_front_on_focus
                    | imgui.WindowFlags_.no_background)
        cells = self._bank()
        imgui.same_line()
        imgui.begin_child("state", imgui.ImVec2(0, 0))
        self._state_panel()
        imgui.end_child()
        imgui.end()
        layout = {"window": list(window_size), "cells": cells, "widgets": dict(self._widgets)}
        if layout == self._layout:
            return None
        self._layout = layout
        return layout

    def _place(self, name: str, width: float | None = None) -> None:
        """Remember where the last widget was drawn (a test clicks it by name); width: of its
        frame, where its label follows it (a slider)."""
        lo, hi = imgui.get_item_rect_min(), imgui.get_item_rect_max()
        self._widgets[name] = [lo.x, lo.y, hi.x if width is None else lo.x + width, hi.y]

    # ---- the bank ----

    def _bank(self) -> dict[int, list[float]]:
        s, cells = self.state, {}
        states = s.slots  # once a frame: each call builds all 64
        rows = max(-(-len(s.labels) // COLUMNS), 1)
        size = imgui.ImVec2(self.cell, self.cell)
        imgui.begin_group()
        imgui.text(f"BANK  {len(s.labels)} slots    target {_slot(s.target)}   current {_slot(s.current)}")
        imgui.push_style_var(imgui.StyleVar_.item_spacing, imgui.ImVec2(4, 4))
        draw = imgui.get_window_draw_list()
        draw.channels_split(2)  # the thumbnails, then what is drawn over them: 2 draw calls, not 2 a cell
        for row in range(rows):
            for col in range(COLUMNS):
                slot = cell_slot(row, col, rows)
                if col:
                    imgui.same_line()
                if slot < len(s.labels):
                    cells[slot] = self._cell(slot, states[slot], size, draw)
        draw.channels_merge()
        imgui.pop_style_var()
        imgui.text_disabled("click: trigger    shift+click: store here")
        self._bank_file()
        imgui.end_group()
        return cells

    def _bank_file(self) -> None:
        """A saved bank's path and "load bank": the show reads it (not the console) and plays on."""
        imgui.set_next_item_width(self.cell * 5)
        _, self.bank_path = imgui.input_text_with_hint("##bank", "a saved bank: NAME.npy", self.bank_path)
        self._place("bank/path")
        imgui.same_line()
        if imgui.button("load bank") and self.bank_path.strip():
            self.send("bank.load", self.bank_path.strip())
        self._place("bank/load")

    def _cell(self, slot: int, state, size, draw) -> list[float]:
        s = self.state
        draw.channels_set_current(0)
        if self.atlas.tex is not None and slot in self.atlas.filled:
            # the thumbnail alone, no button drawn under it: llvmpipe pays for every pixel twice
            uv0, uv1 = self.atlas.uv(slot)
            imgui.image(imgui.ImTextureRef(self.atlas.tex), size, imgui.ImVec2(*uv0), imgui.ImVec2(*uv1))
            pressed = imgui.is_item_clicked()
        else:
            pressed = imgui.button(f"{slot}##slot{slot}", size)
        lo, hi = imgui.get_item_rect_min(), imgui.get_item_rect_max()
        if pressed:
            io = imgui.get_io()
            self.send("store" if io.key_shift or io.key_ctrl else "keyframe", slot)
        hovered = imgui.is_item_hovered()
        if hovered:
            imgui.set_tooltip(f"slot {slot}: {s.labels[slot]}\n{describe(s.labels[slot])}")
        draw.channels_set_current(1)
        corner = imgui.ImVec2(lo.x + 14, lo.y + 14)
        draw.add_rect_filled(lo, corner, colour(KIND_COLOURS[state.kind]))
        draw.add_text(imgui.ImVec2(lo.x + 16, lo.y + 1), colour((255, 255, 255), 220), str(slot))
        if state.role:
            draw.add_rect(lo, hi, colour(ROLE_COLOURS[state.role]), 0.0, 4.0)
        elif hovered:
            draw.add_rect(lo, hi, colour(HOVER_COLOUR), 0.0, 1.0)
        return [lo.x, lo.y, hi.x, hi.y]

    # ---- the instrument's state ----

    def _state_panel(self) -> None:
        s = self.state
        self._picture_and_record()
        imgui.separator_text("motion")
        for knob in s.knobs:
            self._knob(knob)
        if s.movers:
            changed, index = imgui.combo("mover", s.movers.index(s.mover) if s.mover in s.movers else 0, list(s.movers))
            if changed:
                self.send("mover", s.movers[index])
        if s.psi is not None:
            self._knob(s.psi)
        if s.class_idx is not None:
            changed, value = imgui.input_int("class", s.class_idx)
            if changed and value >= 0:
                self.send("model.class", value)
        self._figures()
        self._inputs()
        if s.error:
            imgui.separator_text("last error")
            imgui.text_colored(imgui.ImVec4(1.0, 0.45, 0.35, 1.0), s.error)

    def _picture_and_record(self) -> None:
        s = self.state
        if self.picture.tex is not None:
            w, h = self.picture.size
            scale = min(PICTURE_BOX[0] / max(w, 1), PICTURE_BOX[1] / max(h, 1))
            imgui.image(imgui.ImTextureRef(self.picture.tex), imgui.ImVec2(w * scale, h * scale))
            imgui.same_line()
        imgui.begin_group()
        imgui.text(s.model)
        label = "STOP  (space)" if s.recording else "RECORD  (space)"
        if imgui.button(f"{label}##record", imgui.ImVec2(150, 32)):
            self.send("record.toggle")
        self._place("record")
        if s.record_status:
            imgui.text(s.record_status)
        changed, hud = imgui.checkbox("HUD on the output", s.hud)
        if changed:
            self.send("hud", int(hud))
        if imgui.button("random keyframe"):
            self.send("keyframe.random")
        if s.takes:
            imgui.text_disabled("takes: " + ", ".join(s.takes[-4:]))
        imgui.end_group()

    def _knob(self, knob) -> None:
        """A slider over the knob's real range (log where the range is); a change is sent raw."""
        name = knob.target.split("/")[-1]
        flags = imgui.SliderFlags_.logarithmic if knob.log else 0
        width = imgui.calc_item_width()
        changed, value = imgui.slider_float(name, knob.raw, knob.lo, knob.hi, "%.3f", flags)
        self._place(knob.target, width)
        if not changed:
            return
        if knob.target == "noise":
            self.send("noise", value)
        elif knob.target == "model/psi":
            self.send("model.psi", value, "raw")
        else:
            self.send("motion", name, value, "raw")

    def _figures(self) -> None:
        if not self.history:
            return
        imgui.separator_text("frames/s and decode ms")
        t, fps, ms = (np.array(v, np.float64) for v in zip(*self.history))
        if implot.begin_plot("##figures", imgui.ImVec2(-1, 140)):
            implot.setup_axes_limits(float(t[0]), float(max(t[-1], t[0] + 1)), 0.0,
                                     float(max(fps.max(), ms.max(), 1.0) * 1.1), implot.Cond_.always)
            implot.plot_line("fps", t, fps)
            implot.plot_line("decode ms", t, ms)
            implot.end_plot()

    def _inputs(self) -> None:
        s = self.state
        imgui.separator_text("inputs")
        imgui.text(f"OSC in: {s.osc or 'off'}")
        imgui.text(f"MIDI: {s.midi or 'none'}  {s.midi_status}")
        for line in s.music:  # the tempo, the clock, the sound's levels (docs/music.md)
            imgui.text(line)
        if imgui.button("TAP"):
            self.send("tempo.tap")
        targets = [k.target for k in s.knobs] + ["mover"] + (["model/psi"] if s.psi is not None else [])
        self.learn_target = min(self.learn_target, len(targets) - 1)
        _, self.learn_target = imgui.combo("##learn", self.learn_target, targets)
        imgui.same_line()
        if imgui.button("MIDI learn"):
            self.send("learn", targets[self.learn_target])
        imgui.separator_text("last events")
        for line in s.monitor[::-1]:
            imgui.text_disabled(line)


def _slot(slot) -> str:
    return "-" if slot is None else str(slot)
