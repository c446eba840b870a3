"""The gRPC server: AnalysisService, health checking, reflection, graceful shutdown."""
from __future__ import annotations

import asyncio
import logging
import signal

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from gateway.auth import AuthInterceptor, KeyStore, RateLimiter
from gateway.bootstrap import Deps, bootstrap
from gateway.errors import ErrorInterceptor
from gateway.servicer import AnalysisServicer
from scenelens.adapters.readmodels import WATCH_S
from scenelens.observability import Readiness, start_ops_server
from scenelens.settings import Settings
from scenelens.v1 import analysis_pb2, analysis_pb2_grpc

log = logging.getLogger(__name__)

SERVICE_NAME = analysis_pb2.DESCRIPTOR.services_by_name["AnalysisService"].full_name


def create_server(settings: Settings, deps: Deps) -> tuple[grpc.aio.Server, int, health.HealthServicer]:
    """Build the server (not started); binds the configured port (0 picks a free one)."""
    limit = settings.grpc_max_message_bytes
    server = grpc.aio.server(
        # Errors outermost, so authentication failures are mapped like any other.
        interceptors=[
            ErrorInterceptor(),
            AuthInterceptor(KeyStore(settings, deps.readmodels.get_key), RateLimiter(),
                            rebuilding=lambda: bool(getattr(deps.readmodels, "rebuilding", False))),
        ],
        options=[
            ("grpc.max_receive_message_length", limit),
            ("grpc.max_send_message_length", limit),
        ],
    )
    analysis_pb2_grpc.add_AnalysisServiceServicer_to_server(
        AnalysisServicer(settings, deps.app, deps.s3, deps.readmodels, deps.webhooks,
                         deps.models), server
    )
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        (SERVICE_NAME, health.SERVICE_NAME, reflection.SERVICE_NAME), server
    )
    port = server.add_insecure_port(f"{settings.grpc_host}:{settings.grpc_port}")
    return server, port, health_servicer


async def watch_health(deps: Deps, servicer: health.HealthServicer, stop: asyncio.Event,
                       readiness: Readiness | None = None) -> None:
    """SERVING only while Postgres and S3 answer (and /readyz says the same); the Postgres
    ping also tells the read models whether a rebuild is running."""
    serving = health_pb2.HealthCheckResponse.SERVING
    not_serving = health_pb2.HealthCheckResponse.NOT_SERVING
    last = None
    while not stop.is_set():
        pg_ok, s3_ok = await deps.readmodels.ping(), await deps.s3.ping()
        ok = pg_ok and s3_ok
        if readiness is not None:
            readiness.set("postgres", pg_ok)
            readiness.set("s3", s3_ok)
        status = serving if ok else not_serving
        if status != last:
            for name in ("", SERVICE_NAME):
                await servicer.set(name, status)
            log.info("health %s", "SERVING" if ok else "NOT_SERVING")
            last = status
        try:
            await asyncio.wait_for(stop.wait(), WATCH_S)
        except TimeoutError:
            pass


async def serve(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    readiness = Readiness("gateway", "postgres", "s3")
    ops = start_ops_server(settings.metrics_host, settings.metrics_port("gateway"), readiness)
    deps = None
    while deps is None and not stop.is_set():
        try:
            deps = await bootstrap(settings)
        except Exception:  # noqa: BLE001 - dependencies not up yet: wait and retry
            log.exception("gateway dependencies not ready; retrying in 2 s")
            try:
                await asyncio.wait_for(stop.wait(), 2.0)
            except TimeoutError:
                pass
    if deps is None:
        return
    from gateway.docs import start_docs_server

    docs = await start_docs_server(settings)
    server, port, health_servicer = create_server(settings, deps)
    await server.start()
    log.info("gateway listening on %s:%d", settings.grpc_host, port)
    watcher = asyncio.create_task(watch_health(deps, health_servicer, stop, readiness))
    await stop.wait()
    log.info("shutting down")
    await health_servicer.enter_graceful_shutdown()
    await server.stop(grace=20)
    await watcher
    await docs.cleanup()
    await deps.close()
    ops.shutdown()
