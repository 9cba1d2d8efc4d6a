"""API of training: the signed-in learner's own progress (read-only)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from secu4all.organisations.access import IsOrganisationMember
from secu4all.training import selectors


class MyProgress(APIView):
    """Progress of the requesting user per module and lesson in this organisation."""

    permission_classes = [IsOrganisationMember]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, org_slug: str) -> Response:
        modules = []
        for status in selectors.course_status(user=request.user):
            modules.append(
                {
                    "module": status.module.key,
                    "number": status.module.number,
                    "required": status.module.required,
                    "pass_mark": status.module.pass_mark,
                    "score": status.score,
                    "max_score": status.max_score,
                    "passed": status.passed,
                    "percent_done": status.percent_done,
                    "lessons": [
                        {
                            "lesson": row.lesson.key,
                            "opened": row.opened,
                            "completed": row.completed,
                            "best_score": row.best_score,
                            "max_score": row.max_score,
                            "awaiting_review": row.awaiting_review,
                        }
                        for row in status.lessons
                    ],
                    "scenarios_done": sorted(status.scenarios_done),
                }
            )
        return Response({"modules": modules})
