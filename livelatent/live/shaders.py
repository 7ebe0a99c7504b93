"""Shader programs as resources: found on a search path, compiled with file:line errors.

One program per file: a .glsl with a `#version` line and `#if defined VERTEX_SHADER` /
`#elif defined FRAGMENT_SHADER` sections (moderngl-window's single-file layout). The
finder looks in $LIVELATENT_SHADERS, then the extra directories given (a preset's own
folder), then the project's shaders/.

    program = load_program(ctx, "image")          # shaders/image.glsl
    # ShaderError: shaders/image.glsl:17: 'colr' : undeclared identifier
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from livelatent.errors import ShaderError

PROJECT_SHADERS = Path(__file__).resolve().parents[2] / "shaders"
STAGES = ("VERTEX_SHADER", "FRAGMENT_SHADER")
# Mesa: "0:12(5): error: ..."; NVIDIA: "0(12) : error C1008: ..."; ANGLE/others: "ERROR: 0:12: ..."
_LOG_LINE = re.compile(r"(?:ERROR:\s*)?\d+[:(](\d+)\)?(?:\(\d+\))?\s*:?\s*(.*)")


def find_shader(name: str, extra_dirs: tuple = ()) -> Path:
    """The first NAME.glsl on the search path; ShaderError listing where it looked."""
    dirs = [Path(p) for p in os.environ.get("LIVELATENT_SHADERS", "").split(os.pathsep) if p]
    dirs += [Path(d) for d in extra_dirs] + [PROJECT_SHADERS]
    for d in dirs:
        path = d / f"{name}.glsl"
        if path.is_file():
            return path
    raise ShaderError(f"shader {name}.glsl: not found in {', '.join(str(d) for d in dirs)}")


def stage_sources(text: str, path: Path) -> dict[str, str]:
    """The file's source once per stage, with `#define STAGE` right after `#version`."""
    lines = text.splitlines()
    if not lines or not any(line.strip().startswith("#version") for line in lines):
        raise ShaderError(f"{_shown(path)}:1: expected a #version line")
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("#version"))
    return {stage: "\n".join(lines[: at + 1] + [f"#define {stage} 1"] + lines[at + 1:]) + "\n"
            for stage in STAGES if stage in text}


def compile_program(ctx, path: Path):
    """Compile one .glsl file into a moderngl.Program; errors as ShaderError 'file:line: msg'."""
    import moderngl

    sources = stage_sources(path.read_text(), path)
    missing = [s for s in STAGES if s not in sources]
    if missing:
        raise ShaderError(f"{_shown(path)}:1: expected a section for {', '.join(missing)}")
    try:
        return ctx.program(vertex_shader=sources["VERTEX_SHADER"], fragment_shader=sources["FRAGMENT_SHADER"])
    except moderngl.Error as exc:
        raise ShaderError(_first_error(str(exc), path, _version_line(sources["VERTEX_SHADER"]))) from None


def load_program(ctx, name: str, extra_dirs: tuple = ()):
    return compile_program(ctx, find_shader(name, extra_dirs))


def _version_line(source: str) -> int:
    """1-based line of #version; the #define we insert follows it."""
    return next(i for i, line in enumerate(source.splitlines(), 1) if line.strip().startswith("#version"))


def _first_error(log: str, path: Path, version_line: int) -> str:
    """The compiler log's first error, with its line mapped back to the file."""
    for raw in log.splitlines():
        m = _LOG_LINE.match(raw.strip())
        if m and "error" in raw.lower():
            line = int(m.group(1))
            line = line - 1 if line > version_line + 1 else line  # our #define shifted the rest
            return f"{_shown(path)}:{line}: {m.group(2).strip()}"
    first = next((s.strip() for s in log.splitlines() if s.strip()), "compile failed")
    return f"{_shown(path)}: {first}"


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class ReloadableProgram:
    """A program that recompiles when its file changes; a broken edit keeps the last good one.

        image = ReloadableProgram(ctx, "image")
        if image.reload_if_changed(): ...   # True when a new program replaced the old
        image.error                         # "shaders/image.glsl:17: ..." after a failed edit, else ""
    """

    def __init__(self, ctx, name: str, extra_dirs: tuple = ()) -> None:
        self.ctx, self.path = ctx, find_shader(name, extra_dirs)
        self.program = compile_program(ctx, self.path)
        self._mtime = self._stat()
        self.error = ""

    def _stat(self) -> float:
        try:
            return self.path.stat().st_mtime
        except OSError:
            return self._mtime  # mid-save, or gone: look again later

    def reload_if_changed(self) -> bool:
        mtime = self._stat()
        if mtime == self._mtime:
            return False
        self._mtime = mtime
        try:
            program = compile_program(self.ctx, self.path)
        except (ShaderError, OSError) as exc:
            self.error = str(exc)
            return False
        self.program.release()
        self.program, self.error = program, ""
        return True
