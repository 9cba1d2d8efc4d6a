"""Import throughput for the operators' metrics, read from the import runs at scrape time."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from secu4all.incidents.selectors import import_throughput


class ImportCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        figures = import_throughput()
        rows = CounterMetricFamily(
            "secu4all_import_rows", "Rows read from incident files, by outcome.", labels=["outcome"]
        )
        for outcome, total in figures.rows_by_outcome.items():
            rows.add_metric([outcome], total)
        yield rows
        yield GaugeMetricFamily(
            "secu4all_imports_running", "Incident imports running now.", value=figures.running
        )
        if figures.rows_per_second is not None:
            yield GaugeMetricFamily(
                "secu4all_import_rows_per_second",
                "Rows per second of the incident imports finished in the last hour.",
                value=figures.rows_per_second,
            )
