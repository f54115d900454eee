"""The batch on a Ray cluster: one actor per worker, articles as tasks.

Each actor builds an :class:`~ui.batch.ArticleChecker` once (extractor, knowledge base,
verifier) and checks the articles the pool hands it; reports come back to the process
that started the batch, which writes them (workers need no shared file system).

The knowledge base: on a cluster of more than one machine every worker must reach
the same store, so a Chroma server (``--chroma-url``) is required and its absence is
a :class:`~claims.errors.ConfigError`. On a one-machine cluster running where the
batch starts (``--ray local``, or ``auto`` finding such a cluster), the actors open
the embedded store in the data directory, as local worker processes do: they only
read it (each opens its own client; a reader sees a consistent snapshot), and the
only writes a check makes, evidence gathered with ``--search``, take the store's
cross-process write lock (:mod:`retrieval.locking`).

Ray is an optional extra (``pip install 'claimscope[ray]'``); nothing imports it
unless ``--ray`` is given.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from claims.errors import ConfigError, PipelineError

log = logging.getLogger(__name__)

LOCAL = "local"  # start a private one-machine cluster for this batch


def import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError(
            "--ray needs Ray: pip install 'claimscope[ray]' (on every machine of the cluster)"
        ) from None
    return ray


def connect(address: str, workers: int) -> tuple[Any, bool]:
    """Ray, connected, and whether this call started the connection: ``local`` starts a
    cluster of ``workers`` CPUs on this machine, ``auto`` joins the running cluster,
    anything else is a cluster address. A process already connected (a test's
    ``ray.init``) keeps its connection."""
    ray = import_ray()
    if ray.is_initialized():
        return ray, False
    quiet: dict[str, Any] = {
        "logging_level": logging.WARNING,
        "log_to_driver": False,
        "configure_logging": False,
    }
    try:
        if address == LOCAL:
            ray.init(num_cpus=workers, include_dashboard=False, **quiet)
        else:
            ray.init(address=address, **quiet)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise ConfigError(f"cannot reach the Ray cluster at {address!r}: {exc}") from None
    return ray, True


def single_local_node(nodes: list[dict[str, Any]], driver_ip: str) -> bool:
    """True when the cluster's live nodes are one machine, the one the batch runs on."""
    alive = [n for n in nodes if n.get("Alive")]
    return len(alive) == 1 and alive[0].get("NodeManagerAddress") == driver_ip


def require_one_machine(nodes: list[dict[str, Any]], driver_ip: str) -> None:
    """Refuse an embedded store (a folder on this machine) on a cluster of other machines."""
    if single_local_node(nodes, driver_ip):
        return
    alive = sum(1 for n in nodes if n.get("Alive"))
    raise ConfigError(
        f"the Ray cluster's workers run on {alive} machine(s), not only on this one, and the "
        "knowledge base is an embedded store, a folder here: serve it with a Chroma server "
        "every worker reaches and pass --chroma-url (see docs/scale.md)"
    )


def ray_map(
    address: str,
    workers: int,
    worker: tuple[Any, tuple[Any, ...]],
    method: str,
    jobs: Sequence[tuple[Any, ...]],
    *,
    local_store: bool,
    ordered: bool,
) -> Iterator[Any]:
    """``worker[0](*worker[1]).<method>(*job)`` for each job, on ``workers`` Ray actors
    (each building its worker once); results in job order when ``ordered``, else as
    they finish. ``local_store``: the workers open an embedded store on this machine,
    so the cluster must be this machine alone."""
    ray, started = connect(address, workers)
    from ray.util import ActorPool, get_node_ip_address

    try:
        if local_store:
            require_one_machine(ray.nodes(), get_node_ip_address())
        actor_class = ray.remote(num_cpus=1)(_RayWorker)
        actors = [actor_class.remote(*worker) for _ in range(max(1, min(workers, len(jobs))))]
        pool = ActorPool(actors)
        mapping = pool.map if ordered else pool.map_unordered
        try:
            yield from mapping(lambda actor, job: actor.call.remote(method, job), list(jobs))
        except ray.exceptions.RayError as exc:
            raise PipelineError(
                f"the Ray cluster failed: {type(exc).__name__}: {' '.join(str(exc).split())}; "
                "finished work is kept: run the command again to resume"
            ) from exc
        finally:
            for actor in actors:
                ray.kill(actor)
    finally:
        if started:
            ray.shutdown()


def eval_distributor(address: str, workers: int) -> Callable[..., Iterator[Any]]:
    """``claimscope eval --ray``: claims as tasks on ``eval.runner.ClaimWorker`` actors, in
    order (so the run's results file and its seeded statistics match a local run)."""
    from eval.runner import ClaimWorker

    def distribute(
        worker_args: tuple[Any, ...], jobs: Sequence[tuple[Any, ...]], *, local_store: bool
    ) -> Iterator[Any]:
        return ray_map(
            address,
            workers,
            (ClaimWorker, worker_args),
            "example",
            jobs,
            local_store=local_store,
            ordered=True,
        )

    return distribute


class _RayWorker:
    """The actor: a worker object built once in the worker process, then called per job."""

    def __init__(self, worker_class: Any, args: tuple[Any, ...]) -> None:
        self._worker = worker_class(*args)

    def call(self, method: str, job: tuple[Any, ...]) -> Any:
        return getattr(self._worker, method)(*job)
