"""The console's process: a glfw window drawn with Dear ImGui (imgui-bundle), fed by the show.

Started by ConsoleLink (link.py) as `python -m livelatent.live.console.window FD`; FD is its end
of the pipe to the show. It draws only when something changed, at the pace of pace.py, and
otherwise sleeps in glfw's event wait. On 2 CPU cores, where Mesa's llvmpipe draws both windows,
each drawing is CPU time the show might have used, so the console also runs at a lower priority
(NICE) and rasterizes in its drawing thread only (link.py): the show always wins. It exits when
told to, when its window is closed, or when the show's process is gone.

What it draws is in panels.py; this module owns the window, the GL textures and the loop.
imgui-bundle (panels.py) and PyOpenGL (textures.py) are the `console` extra.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from multiprocessing.connection import Connection

import numpy as np

from livelatent.live.console.pace import RedrawPace

NICE = 10  # below the show's priority: on a busy machine the show's threads run first
CELL = 64  # pixels: a thumbnail cell as drawn (llvmpipe's cost is the drawn area: 8 x 8 cells of 64)
IDLE_WAIT = 0.5  # seconds asleep in glfw's event wait when nothing happens (to notice an orphaned console)


class ConsoleWindow:
    def __init__(self, conn: Connection, settings: dict) -> None:
        import glfw  # before imgui_bundle: the system's glfw, as the show uses, not the bundle's copy

        from livelatent.live.console.panels import Panels, open_imgui
        from livelatent.live.console.textures import Atlas, Picture

        self.conn, self.glfw = conn, glfw
        self.parent = settings["parent"]
        self.window = open_window(glfw, settings)
        self.renderer = open_imgui(self.window)
        self.atlas, self.small = Atlas(), Picture()
        self.panels = Panels(self.atlas, self.small, send=self.send, cell=CELL)
        self._chain_input_callbacks()
        self.pace, self.running = RedrawPace(), True
        self.shots: list[str] = []
        self.inbox: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._read_pipe, name="console-pipe", daemon=True).start()

    def send(self, action: str, *args) -> None:
        self.conn.send(("action", (action, args)))

    # ---- the loop ----

    def run(self) -> None:
        """Sleep in glfw's event wait (input, or the pipe reader's wake-up) until something
        changed; then draw, no sooner than the pace for what changed allows."""
        glfw = self.glfw
        while self.running and not glfw.window_should_close(self.window):
            wait = self.pace.due_in(time.perf_counter())
            if wait is None or wait > 0:
                glfw.wait_events_timeout(IDLE_WAIT if wait is None else wait)
            else:
                glfw.poll_events()
            self._receive()
            if self.pace.due_in(time.perf_counter()) == 0:
                self._draw()
            if os.getppid() != self.parent:
                return  # the show is gone

    def _read_pipe(self) -> None:
        """The pipe reader's thread: each message into the inbox, and the main thread woken."""
        while True:
            try:
                message = self.conn.recv()
            except (EOFError, OSError):
                message = ("stop", None)
            self.inbox.put(message)
            self.glfw.post_empty_event()
            if message[0] == "stop":
                return

    def _receive(self) -> None:
        while not self.inbox.empty():
            kind, value = self.inbox.get()
            if kind == "stop":
                self.running = False
                return
            if kind == "shot":
                self.shots.append(value)
                self.pace.input(frames=1)
            else:
                self.panels.take(kind, value)
                self.pace.show()

    def _draw(self) -> None:
        from livelatent.live.console.textures import clear

        self.glfw.make_context_current(self.window)
        layout = self.panels.frame(self.renderer, self.glfw.get_window_size(self.window), clear)
        if layout is not None:  # before a screenshot's answer: who asked for it reads where things are in it
            self.conn.send(("layout", layout))
        if self.shots:
            self._save_shots()
        self.glfw.swap_buffers(self.window)
        self.pace.drawn(time.perf_counter())

    def _save_shots(self) -> None:
        from livelatent.common.files import atomic_file
        from livelatent.live.console.textures import read_window

        image = read_window(self.glfw.get_framebuffer_size(self.window))
        for path in self.shots:
            with atomic_file(path) as f:  # a reader never sees half a screenshot
                np.save(f, image)
            self.conn.send(("shot", path))
        self.shots = []

    def _chain_input_callbacks(self) -> None:
        """Each input event marks the window dirty, then goes to ImGui's backend as before; the
        pointer goes to ImGui whether or not the window has the keyboard focus (the backend's own
        handler drops it otherwise: a console on a second screen would not see its hover)."""
        glfw, r = self.glfw, self.renderer
        for setter, handler in ((glfw.set_key_callback, r.keyboard_callback),
                                (glfw.set_cursor_pos_callback, self.panels.mouse_moved),
                                (glfw.set_mouse_button_callback, r.mouse_button_callback),
                                (glfw.set_window_size_callback, r.resize_callback),
                                (glfw.set_char_callback, r.char_callback),
                                (glfw.set_scroll_callback, r.scroll_callback)):
            setter(self.window, self._marking(handler))
        glfw.set_window_refresh_callback(self.window, lambda _w: self._mark())

    def _marking(self, handler):
        def call(*args):
            self._mark()
            handler(*args)
        return call

    def _mark(self) -> None:
        self.pace.input()

    def close(self) -> None:
        self.renderer.shutdown()
        self.glfw.destroy_window(self.window)
        self.glfw.terminate()


def open_window(glfw, settings: dict):
    """A glfw window with an OpenGL 3.3 core context, on the monitor asked for (if there is one)."""
    if not glfw.init():
        raise RuntimeError("glfw cannot start (no display?)")
    for hint, value in ((glfw.CONTEXT_VERSION_MAJOR, 3), (glfw.CONTEXT_VERSION_MINOR, 3),
                        (glfw.OPENGL_PROFILE, glfw.OPENGL_CORE_PROFILE), (glfw.OPENGL_FORWARD_COMPAT, True)):
        glfw.window_hint(hint, value)
    w, h = settings["size"]
    window = glfw.create_window(w, h, settings["title"], None, None)
    if not window:
        raise RuntimeError("glfw cannot open a window with OpenGL 3.3")
    monitors = glfw.get_monitors() or []
    if settings.get("monitor") is not None and settings["monitor"] < len(monitors):
        x, y = glfw.get_monitor_pos(monitors[settings["monitor"]])
        glfw.set_window_pos(window, x + 20, y + 20)
    glfw.make_context_current(window)
    glfw.swap_interval(0)  # never wait for a display refresh: the show's window owns the pace
    return window


def main(fd: int) -> int:
    os.nice(NICE)  # before any thread starts: each inherits it (Linux sets it per thread)
    conn = Connection(fd)
    try:
        kind, settings = conn.recv()
        window = ConsoleWindow(conn, settings)
    except ImportError as exc:
        conn.send(("error", f"needs the console extra (pip install 'livelatent[console]'): {exc}"))
        return 1
    except Exception as exc:  # noqa: BLE001 - said to the show in one line; the show goes on
        conn.send(("error", f"cannot open its window ({type(exc).__name__}: {exc})"))
        return 1
    try:
        window.run()
    except (EOFError, OSError):
        pass  # the show closed the pipe
    finally:
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
