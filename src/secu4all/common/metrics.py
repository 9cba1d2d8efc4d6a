"""Prometheus metrics for operators: request latency by view, task queue depth, and what the
apps register (import throughput).

Several web processes each count their own requests; ``secu4all serve`` points them at one
directory (``PROMETHEUS_MULTIPROC_DIR``) so a scrape of any of them sums all. Figures that live
in the database (queue depth, imports) are read at scrape time, so every host reports the same.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from secu4all.common.health import queue_depths
from secu4all.common.proxies import is_trusted, parse_networks

# prometheus_client decided this when it was imported; a later change of the environment
# (a test calling the CLI) does not move the counts, so it does not move the scrape either.
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

REQUEST_SECONDS = Histogram(
    "secu4all_request_seconds",
    "Time to answer a request, by view, method and status class.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0, 10.0),
)

# Collectors that read the database at scrape time, registered by the apps in ready().
# Not described at registration, which would query the database before it is migrated.
_database_collectors = CollectorRegistry()
_registered: set[type] = set()


def register_collector(collector: Collector) -> None:
    """Add an app's collector once (ready() may run twice in tests)."""
    if type(collector) not in _registered:
        _registered.add(type(collector))
        _database_collectors.register(collector)


class TaskQueueCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily(
            "secu4all_task_queue_depth", "Tasks waiting for a worker.", labels=["queue"]
        )
        for queue, depth in queue_depths().items():
            family.add_metric([queue], depth)
        yield family


register_collector(TaskQueueCollector())


class RequestMetricsMiddleware:
    """Times each request and labels it with its view's name, not its URL (bounded labels)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "unresolved"
        REQUEST_SECONDS.labels(view, request.method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        return response


def _process_metrics() -> bytes:
    if MULTIPROCESS:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """The text exposition format, for monitoring hosts in METRICS_ALLOWED only (else 404)."""
    allowed = parse_networks(settings.METRICS_ALLOWED)
    if not is_trusted(request.META.get("REMOTE_ADDR", ""), allowed):
        raise Http404
    body = _process_metrics() + generate_latest(_database_collectors)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
