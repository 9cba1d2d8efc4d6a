"""The assessment report as PDF, with its Traffic Light Protocol label on every page."""

from __future__ import annotations

from django.template.loader import render_to_string

from secu4all.assessments.charts import frontier_chart
from secu4all.assessments.selectors import drivers
from secu4all.engines.risk import MATRICES, SCENARIO_SCALE


def report_pdf(
    *, result: dict, data: dict, tlp: str, title: str, extra: dict | None = None
) -> bytes:
    from weasyprint import HTML

    answers = data.get("answers") or {}
    matrix = MATRICES[data.get("matrix", "iso_31000_5x5")]
    scenarios = sorted(result["scenarios"], key=lambda s: -s["risk"])
    html = render_to_string(
        "assessments/report.html",
        {
            "result": result,
            "data": data,
            "tlp": tlp,
            "title": title,
            "chart": frontier_chart(result),
            "rows": [(s, drivers(answers, s, limit=3)) for s in scenarios],
            "matrix": matrix,
            "matrix_rows": matrix_rows(matrix),
            "risk_scale": SCENARIO_SCALE * len(result["scenarios"]),
            **(extra or {}),
        },
    )
    return HTML(string=html).write_pdf()


def matrix_rows(matrix) -> list[tuple[str, list]]:
    """The matrix as rows from the most likely band down, each with its levels."""
    return [
        (matrix.likelihood_labels[row], [matrix.levels[level] for level in matrix.cells[row]])
        for row in reversed(range(len(matrix.likelihood_labels)))
    ]
