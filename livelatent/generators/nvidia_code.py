"""The user's checkout of NVIDIA's StyleGAN code: found, put on sys.path, one at a time.

A network pickle names modules of the training code (`torch_utils.persistence`, `dnnlib`),
and the network source embedded in it imports `torch_utils.ops.*` while it is unpickled.
livelatent ships none of that code: the user names a checkout of stylegan3 or
stylegan2-ada-pytorch (`--stylegan-repo PATH` or LIVELATENT_STYLEGAN_REPO).

Two things a current Python needs around that code:
- One checkout per name. The two repositories share module names (`torch_utils`, `dnnlib`,
  `training`) with different contents, and Python caches the first one imported. Loading a
  pickle with another checkout than the last one first takes the last one's modules out of
  sys.modules and its folder off sys.path. Networks already loaded keep working: their code
  holds its own references to the modules it imported.
- pkg_resources. stylegan3's `torch_utils/ops/conv2d_gradfix.py` and `grid_sample_gradfix.py`
  do `from pkg_resources import parse_version`; setuptools 81 and later no longer have
  pkg_resources. Rather than pin an old setuptools into the user's environment, while the
  checkout's modules are imported a stand-in module `pkg_resources` holding only
  `parse_version` (packaging's, from the `livelatent[stylegan]` extra) is put into
  sys.modules, and taken out again after, unless a real pkg_resources is installed.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import types
from contextlib import contextmanager
from pathlib import Path

from livelatent.errors import ModelError

REPO_ENV = "LIVELATENT_STYLEGAN_REPO"
CHECKOUT_PACKAGES = ("torch_utils", "dnnlib", "training", "metrics", "legacy")
EXTRA = "pip install 'livelatent[stylegan]'"


def find_repo(stylegan_repo: str | os.PathLike | None, path: Path) -> Path:
    """The user's checkout that holds torch_utils/persistence.py and dnnlib/, or a clear error."""
    given = stylegan_repo or os.environ.get(REPO_ENV)
    if not given:
        raise ModelError(f"{path}: StyleGAN pickles need NVIDIA's training code, which livelatent does not ship; "
                         f"pass `stylegan_repo` PATH (a checkout of stylegan3 or stylegan2-ada-pytorch) "
                         f"or set {REPO_ENV}", setting="stylegan_repo")
    repo = Path(os.path.expanduser(str(given)))
    missing = [p for p in ("torch_utils/persistence.py", "dnnlib/__init__.py") if not (repo / p).exists()]
    if missing:
        raise ModelError(f"{repo}: not a StyleGAN checkout; missing {', '.join(missing)}")
    return repo.resolve()


def loaded_checkout() -> Path | None:
    """The folder the `torch_utils` in sys.modules was imported from, if any."""
    paths = list(getattr(sys.modules.get("torch_utils"), "__path__", None) or [])
    return Path(paths[0]).resolve().parent if paths else None


@contextmanager
def checkout(repo: Path):
    """Within: `repo`'s modules are the ones imported (another checkout's are dropped first)
    and pkg_resources.parse_version can be imported. The checkout stays on sys.path after,
    first, so that nothing else's `torch_utils` can shadow it; an import that fails leaves
    nothing half-imported behind."""
    current = loaded_checkout()
    if current is not None and current != repo:
        _forget_modules()
    _put_first_on_path(repo)
    with _pkg_resources():
        try:
            yield
        except ModuleNotFoundError as exc:
            _forget_modules()
            raise ModelError(f"{repo}: NVIDIA's code needs the Python package {exc.name!r}, which is not "
                             f"installed; {EXTRA} installs what it imports") from None
        except BaseException:
            if loaded_checkout() is None:
                _forget_modules()
            raise


_ON_PATH: list[str] = []  # the checkouts this process has put on sys.path


def _put_first_on_path(repo: Path) -> None:
    """`repo` at the head of sys.path; any other checkout put there before, off it."""
    for old in _ON_PATH + [str(repo)]:
        while old in sys.path:
            sys.path.remove(old)
    _ON_PATH[:] = [str(repo)]
    sys.path.insert(0, str(repo))
    importlib.invalidate_caches()


def _forget_modules() -> None:
    """Every module of a checkout out of sys.modules (networks loaded keep their own references)."""
    for name in [n for n in sys.modules if n.partition(".")[0] in CHECKOUT_PACKAGES]:
        del sys.modules[name]


@contextmanager
def _pkg_resources():
    """A stand-in pkg_resources (parse_version only) while NVIDIA's modules are imported,
    when no real one is installed (setuptools >= 81)."""
    if "pkg_resources" in sys.modules or importlib.util.find_spec("pkg_resources") is not None:
        yield
        return
    shim = types.ModuleType("pkg_resources")
    shim.__doc__ = "livelatent's stand-in: parse_version only, for NVIDIA's torch_utils"
    shim.parse_version = _parse_version
    sys.modules["pkg_resources"] = shim
    try:
        yield
    finally:
        if sys.modules.get("pkg_resources") is shim:
            del sys.modules["pkg_resources"]


def _parse_version(text: str):
    try:
        from packaging.version import parse
    except ModuleNotFoundError:
        raise ModelError(f"NVIDIA's code needs packaging.version.parse (pkg_resources.parse_version); "
                         f"{EXTRA} installs it") from None
    return parse(str(text))
