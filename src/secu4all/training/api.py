"""API of training: the signed-in learner's own progress (read-only)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from secu4all.organisations.access import IsOrganisationMember
from secu4all.training import selectors


class LessonProgressSerializer(serializers.Serializer):
    lesson = serializers.CharField(help_text="The lesson's key in the curriculum.")
    opened = serializers.BooleanField()
    completed = serializers.BooleanField()
    best_score = serializers.FloatField(allow_null=True, help_text="None before an attempt.")
    max_score = serializers.FloatField()
    awaiting_review = serializers.IntegerField(help_text="Answers a trainer has yet to score.")


class ModuleProgressSerializer(serializers.Serializer):
    module = serializers.CharField(help_text="The module's key in the curriculum.")
    number = serializers.IntegerField()
    required = serializers.BooleanField()
    pass_mark = serializers.FloatField()
    score = serializers.FloatField()
    max_score = serializers.FloatField()
    passed = serializers.BooleanField()
    percent_done = serializers.IntegerField()
    lessons = LessonProgressSerializer(many=True)
    scenarios_done = serializers.ListField(child=serializers.CharField())


class ProgressSerializer(serializers.Serializer):
    """The requesting learner's progress (the schema of ``MyProgress``)."""

    modules = ModuleProgressSerializer(many=True)


class MyProgress(APIView):
    """Progress of the requesting user per module and lesson in this organisation."""

    permission_classes = [IsOrganisationMember]

    @extend_schema(responses=ProgressSerializer)
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
