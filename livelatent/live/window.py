"""Where frames go: a glfw window (optionally fullscreen on a monitor) or a headless EGL context.

Both give the loop the same small surface: ctx (moderngl), framebuffer (what to draw into),
size(), poll(), should_close(), present(), close(), and key events as (key name, mods) passed
to on_key. Headless (servers, CI, no display) renders into an offscreen framebuffer through
Mesa's EGL and behaves the same otherwise.

    display = open_display(headless=True, size=(640, 360))
"""

from __future__ import annotations

import functools
import os

from livelatent.errors import DeviceError


class HeadlessDisplay:
    """An EGL standalone context drawing into an offscreen RGBA framebuffer of `size` (w, h)."""

    def __init__(self, size: tuple[int, int]) -> None:
        import moderngl

        try:
            self.ctx = moderngl.create_standalone_context(backend="egl")
        except Exception as exc:  # noqa: BLE001 - moderngl/glcontext raise plain Exceptions
            raise DeviceError(f"headless display: cannot create an EGL context ({exc}); "
                              "install Mesa's EGL (libegl1 libegl-mesa0 libgl1-mesa-dri)") from None
        self.framebuffer = self.ctx.simple_framebuffer(tuple(size), components=4)
        self.on_key = None
        self._flush = _egl_gl_function("glFlush")

    def size(self) -> tuple[int, int]:
        return self.framebuffer.size

    def poll(self) -> None:
        pass

    def should_close(self) -> bool:
        return False

    def present(self) -> None:
        """Nothing to swap (the frame stays in the framebuffer; screenshots read it), but the
        frame's commands are flushed through ctypes, which releases the GIL: Mesa's llvmpipe
        rasterizes them now, while the model's threads run on, instead of inside the next
        texture upload, where moderngl holds the GIL."""
        if self._flush is not None:
            self._flush()

    def close(self) -> None:
        self.ctx.release()


class WindowDisplay:
    """A glfw window with an OpenGL 3.3 core context; vsync on, so present() paces the loop."""

    def __init__(self, size: tuple[int, int], *, fullscreen: bool = False, monitor: int | None = None,
                 title: str = "livelatent") -> None:
        import glfw
        import moderngl

        self._glfw = glfw
        self.glfw_error = ""  # glfw's last complaint: ours to report in one line, not a Python warning
        glfw.set_error_callback(self._on_glfw_error)
        if not glfw.init():
            raise DeviceError(f"window: glfw cannot start ({self.glfw_error or 'no reason given'}); "
                              "no display? use `headless`", setting="headless")
        for hint, value in ((glfw.CONTEXT_VERSION_MAJOR, 3), (glfw.CONTEXT_VERSION_MINOR, 3),
                            (glfw.OPENGL_PROFILE, glfw.OPENGL_CORE_PROFILE), (glfw.OPENGL_FORWARD_COMPAT, True)):
            glfw.window_hint(hint, value)
        try:
            target = self._monitor(monitor) if fullscreen or monitor is not None else None
        except DeviceError:
            glfw.terminate()
            raise
        w, h = size
        if target is not None and fullscreen:
            mode = glfw.get_video_mode(target)
            w, h = mode.size.width, mode.size.height
        self.window = glfw.create_window(w, h, title, target if fullscreen else None, None)
        if not self.window:
            glfw.terminate()
            raise DeviceError(f"window: glfw cannot open a window with OpenGL 3.3 ({self.glfw_error or 'no reason given'}); "
                              "use `headless`", setting="headless")
        if target is not None and not fullscreen:
            x, y = glfw.get_monitor_pos(target)
            glfw.set_window_pos(self.window, x + 40, y + 40)
        glfw.make_context_current(self.window)
        glfw.swap_interval(1)
        self.ctx = moderngl.create_context()
        self.framebuffer = self.ctx.screen
        self.on_key = None
        glfw.set_key_callback(self.window, self._key)

    def _on_glfw_error(self, _code: int, description) -> None:
        text = description.decode(errors="replace") if isinstance(description, bytes) else str(description)
        self.glfw_error = text.strip()

    def _monitor(self, index: int | None):
        monitors = self._glfw.get_monitors()
        index = 0 if index is None else index
        if not 0 <= index < len(monitors):
            raise DeviceError(f"`monitor` {index}: expected 0..{len(monitors) - 1} ({len(monitors)} monitor(s) found)",
                              setting="monitor")
        return monitors[index]

    def _key(self, _window, key, _scancode, action, mods) -> None:
        if action == self._glfw.PRESS and self.on_key is not None:
            self.on_key(key_name(self._glfw, key), mods)

    def size(self) -> tuple[int, int]:
        return self._glfw.get_framebuffer_size(self.window)

    def monitors(self) -> int:
        """How many monitors glfw sees (the console opens on another one than the output's)."""
        return len(self._glfw.get_monitors() or ())

    def poll(self) -> None:
        self._glfw.poll_events()

    def should_close(self) -> bool:
        return bool(self._glfw.window_should_close(self.window))

    def present(self) -> None:
        self._glfw.swap_buffers(self.window)

    def close(self) -> None:
        self.ctx.release()
        self._glfw.destroy_window(self.window)
        self._glfw.terminate()


def _egl_gl_function(name: str):
    """A no-argument GL function of the current EGL context, called through ctypes (which
    releases the GIL while it runs; moderngl has no flush), or None where EGL lacks it."""
    import ctypes

    egl = _egl_library()
    address = egl.eglGetProcAddress(name.encode()) if egl is not None else None
    return ctypes.CFUNCTYPE(None)(address) if address else None


@functools.cache
def _egl_library():
    """libEGL, found once a process (find_library runs ldconfig), or None."""
    import ctypes
    import ctypes.util

    library = ctypes.util.find_library("EGL")
    if library is None:
        return None
    egl = ctypes.CDLL(library)
    egl.eglGetProcAddress.restype = ctypes.c_void_p
    egl.eglGetProcAddress.argtypes = [ctypes.c_char_p]
    return egl


def key_name(glfw, key: int) -> str:
    """'A'..'Z', '0'..'9', 'SPACE', 'ESCAPE', 'TAB', 'UP', 'DOWN', ... from a glfw key code."""
    if glfw.KEY_A <= key <= glfw.KEY_Z or glfw.KEY_0 <= key <= glfw.KEY_9:
        return chr(key)
    for name in ("SPACE", "ESCAPE", "TAB", "UP", "DOWN", "LEFT", "RIGHT", "ENTER", "BACKSPACE"):
        if key == getattr(glfw, f"KEY_{name}"):
            return name
    return f"KEY{key}"


def open_display(*, headless: bool, size: tuple[int, int], fullscreen: bool = False, monitor: int | None = None):
    # Where there is no GPU, Mesa's llvmpipe rasterizes each frame on threads of its own, one
    # per core: woken every frame, they preempt the model's workers on every core at once.
    # Rasterizing in the render thread instead (inside the flush or the swap, which release the
    # GIL) costs the model less: bench_live 0.86-0.88 -> 0.91-0.92 of its decode rate on 2
    # cores. GPU drivers ignore it; an LP_NUM_THREADS the user sets wins. Read when Mesa
    # starts, so it is set before the first context.
    os.environ.setdefault("LP_NUM_THREADS", "0")
    return HeadlessDisplay(size) if headless else WindowDisplay(size, fullscreen=fullscreen, monitor=monitor)
