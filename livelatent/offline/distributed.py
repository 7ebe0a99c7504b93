"""Chunks rendered by Ray actors: one per GPU, or one per CPU core. The only module that imports Ray.

    executor = RayExecutor(ModelRecipe("default"), address="auto", retries=3)  # join `ray start`'s cluster
    result = render_chunked(seq, executor, job, "final/edit", settings)

Each actor loads the model once (ChunkRenderer) and renders the chunks it is handed; a chunk
goes to whichever actor is free, so a slow machine holds back only its own chunks. An actor
whose process dies is restarted by Ray and its chunk retried (Ray's max_restarts and
max_task_retries), at most `retries` times; then the render stops with one line naming the chunk.

With no address a local cluster is started on this machine, on the loopback interface only
(node, object store, GCS), and shut down at the end; usage statistics are always off.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections import deque
from collections.abc import Iterator

from livelatent.errors import ClusterError, LivelatentError
from livelatent.offline.chunk_worker import ChunkJob, ChunkRenderer, ChunkResult, ModelInfo, ModelRecipe

LOCAL = "local"  # --ray with no address: a cluster of this machine alone
WAIT_SECONDS = 0.5  # how often the driver looks up from waiting, for Ctrl-C


class RayWorker:
    """The actor: a ChunkRenderer in its own process, one CPU thread per CPU it was given."""

    def __init__(self, recipe: ModelRecipe, threads: int) -> None:
        if threads:
            import torch

            torch.set_num_threads(threads)  # before the model loads: the default model sizes its pool by it
        self.error = None
        try:
            self.renderer = ChunkRenderer(recipe)
        except Exception as exc:  # noqa: BLE001 - kept for describe(): an actor that died here would be
            self.error = exc  # restarted to fail again, and Ray keeps only the text of its error

    def describe(self) -> ModelInfo:
        if self.error is not None:
            raise self.error
        return self.renderer.describe()

    def render(self, job: ChunkJob, chunk, z) -> ChunkResult:
        return self.renderer.render(job, chunk, z)


def import_ray(address: str):
    """Ray, imported with usage statistics off, or one line saying how to install it."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"  # before the import: nothing is ever reported home
    os.environ["RAY_TQDM_PATCH_PRINT"] = "0"  # Ray would replace this process's builtins.print
    if address == LOCAL:
        # Ray would otherwise look up this machine's routable address and bind to it; a cluster of
        # this machine alone needs none (Ray's own switch for single-machine clusters)
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    try:
        import ray
    except ImportError:
        raise ClusterError(f"--ray {address}: Ray is not installed; install the extra: "
                           "pip install 'livelatent[ray]'") from None
    return ray


def connect(address: str, **local):
    """(ray, whether this call started the cluster): joined, or started on loopback for LOCAL
    (`local`: ray.init's resources for it, such as num_cpus=2; default: the whole machine)."""
    ray = import_ray(address)
    if address not in (LOCAL, "auto"):
        _check_reachable(address)
    if ray.is_initialized():  # a driver that set up Ray itself (a notebook, the tests)
        return ray, False
    options = dict(logging_level=logging.ERROR, log_to_driver=False)
    try:
        if address == LOCAL:
            ray.init(address="local", _node_ip_address="127.0.0.1", dashboard_host="127.0.0.1", **options, **local)
        else:
            ray.init(address=address, **options)
    except Exception as exc:  # noqa: BLE001 - Ray's errors on joining are of many kinds; each is one line
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if address == "auto":
            raise ClusterError("--ray auto: no running Ray cluster found on this machine; start one with "
                               "`ray start --head`, or give --ray alone for a local one") from None
        raise ClusterError(f"--ray {address}: cannot join the Ray cluster ({reason})") from None
    return ray, True


def _check_reachable(address: str) -> None:
    """Fail in seconds, not after Ray's minute of retries, when nothing listens at the address."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=5).close()
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise ClusterError(f"--ray {address}: no Ray cluster answers there ({reason})") from None


class RayExecutor:
    """Render chunks on Ray actors, each chunk to the first actor free."""

    def __init__(self, recipe: ModelRecipe, *, address: str = LOCAL, workers: int | None = None,
                 retries: int = 3) -> None:
        self.recipe = recipe
        self.ray, self.owned = connect(address)
        self.retries = retries
        gpus = int(self.ray.cluster_resources().get("GPU", 0))
        use_gpu = gpus > 0 and recipe.device != "cpu"
        if recipe.device.startswith("cuda") and not gpus:
            self.close()
            raise ClusterError(f"--device {recipe.device}: the Ray cluster has no GPU")
        count = workers or (gpus if use_gpu else max(1, int(self.ray.cluster_resources().get("CPU", 1))))
        shape = {"num_gpus": 1, "num_cpus": 1} if use_gpu else {"num_cpus": 1}
        actor = self.ray.remote(RayWorker).options(max_restarts=retries, max_task_retries=retries, **shape)
        self.actors = [actor.remote(recipe, 0 if use_gpu else 1) for _ in range(count)]

    def model_info(self) -> ModelInfo:
        return self._get(self.actors[0].describe.remote(), "loading the model")

    def run(self, job: ChunkJob, chunks, z, stop: threading.Event) -> Iterator[ChunkResult]:
        pending, idle, inflight = deque(chunks), list(self.actors), {}
        while pending or inflight:
            while idle and pending and not stop.is_set():
                actor, chunk = idle.pop(), pending.popleft()
                inflight[actor.render.remote(job, chunk, z[chunk.start:chunk.stop])] = (actor, chunk)
            if stop.is_set() or not inflight:
                return  # chunks still in flight are rendered again by the next run
            ready, _ = self.ray.wait(list(inflight), num_returns=1, timeout=WAIT_SECONDS)
            for ref in ready:
                actor, chunk = inflight.pop(ref)
                yield self._get(ref, chunk.label)
                idle.append(actor)

    def _get(self, ref, what: str):
        """The result of a task, or one line: the worker's own error, or its death after every retry."""
        from ray import exceptions

        try:
            return self.ray.get(ref)
        except exceptions.RayTaskError as exc:
            cause = getattr(exc, "cause", None)
            if isinstance(cause, LivelatentError):
                raise cause from None
            raise ClusterError(f"{what}: {_first_line(cause or exc)}") from None
        except exceptions.RayActorError:
            tries = self.retries + 1
            raise ClusterError(f"{what}: its worker died {tries} time{'s' * (tries > 1)} (--retries {self.retries}); "
                               "stopped, the same command resumes from the finished chunks") from None

    def close(self) -> None:
        for actor in getattr(self, "actors", []):
            self.ray.kill(actor, no_restart=True)
        if self.owned:
            self.ray.shutdown()


def _first_line(exc) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
