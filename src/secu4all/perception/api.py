"""API of perceived safety: survey waves, their weighted estimates, and posting a response
(for interviews on a tablet or a partner's own survey tool)."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from secu4all.audit.models import AuditAction
from secu4all.audit.services import audit_read, audit_record
from secu4all.common.errors import api_error_detail
from secu4all.engines.survey import Estimate
from secu4all.organisations.access import requires
from secu4all.organisations.permissions import Permission
from secu4all.perception.models import AgeBand, Language, Sex, SurveyWave
from secu4all.perception.selectors import wave_estimates, wave_snapshot
from secu4all.perception.services import answers_save, response_complete, response_start


class WaveSerializer(serializers.ModelSerializer):
    questionnaire = serializers.CharField(source="questionnaire.name")
    items = serializers.SerializerMethodField()

    class Meta:
        model = SurveyWave
        fields = [
            "id",
            "name",
            "questionnaire",
            "period_start",
            "period_end",
            "area_code",
            "codes_required",
            "is_open",
            "opens_at",
            "closes_at",
            "closed_at",
            "items",
        ]

    def get_items(self, wave: SurveyWave) -> list[str]:
        return list(wave.questionnaire.items.order_by("position").values_list("code", flat=True))


class WaveList(generics.ListAPIView):
    """Survey waves of the organisation, newest first, with the item codes they ask."""

    serializer_class = WaveSerializer
    permission_classes = [requires(Permission.VIEW_PERCEIVED_SAFETY)]

    def get_queryset(self) -> QuerySet[SurveyWave]:
        return SurveyWave.objects.select_related("questionnaire").all()


def _estimate(e: Estimate) -> dict:
    def clean(x: float) -> float | None:
        return None if x is None or not math.isfinite(x) else x

    return {
        "value": clean(e.value),
        "se": clean(e.se),
        "ci_low": clean(e.ci_low),
        "ci_high": clean(e.ci_high),
        "n": e.n,
        "n_effective": clean(e.n_effective),
        "suppressed": e.suppressed,
    }


class EstimateSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    se = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    n = serializers.IntegerField()
    n_effective = serializers.FloatField(allow_null=True)
    suppressed = serializers.BooleanField()


class IndicatorEstimatesSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    overall = EstimateSerializer()
    by_area = serializers.DictField(child=EstimateSerializer())


class WaveEstimatesSerializer(serializers.Serializer):
    wave = serializers.CharField()
    weighting = serializers.CharField()
    notes = serializers.ListField(child=serializers.CharField())
    respondents = serializers.IntegerField()
    complete = serializers.IntegerField()
    min_n = serializers.IntegerField()
    version = serializers.IntegerField(
        allow_null=True, help_text="Frozen version shown; null while fieldwork runs."
    )
    frozen_at = serializers.DateTimeField(allow_null=True)
    indicators = IndicatorEstimatesSerializer(many=True)


class WaveEstimates(APIView):
    """Weighted estimates with 95 % intervals, overall and per neighbourhood: the frozen
    figures once the wave has closed (the latest version, or ``?version=N``)."""

    permission_classes = [requires(Permission.VIEW_PERCEIVED_SAFETY)]

    @extend_schema(
        responses=WaveEstimatesSerializer,
        parameters=[OpenApiParameter("version", int, description="A frozen version.")],
    )
    def get(self, request: Request, org_slug: str, pk: int) -> ApiResponse:
        wave = get_object_or_404(SurveyWave, pk=pk)
        raw = request.query_params.get("version", "")
        if raw and not raw.isdigit():
            raise ApiValidationError({"version": _("Give the version as a whole number.")})
        snapshot = wave_snapshot(wave=wave, version=int(raw) if raw else None)
        if raw and snapshot is None:
            raise NotFound(_("This wave has no version %(v)s.") % {"v": raw})
        results = wave_estimates(wave=wave, version=snapshot.version if snapshot else None)
        audit_read(
            request._request,
            target=wave,
            detail={"via": "api", "what": "estimates"},
        )
        return ApiResponse(
            {
                "wave": wave.name,
                "weighting": results.weighting.method,
                "notes": results.weighting.notes,
                "respondents": results.responses,
                "complete": results.complete,
                "min_n": results.min_n,
                "version": snapshot.version if snapshot else None,
                "frozen_at": snapshot.frozen_at if snapshot else None,
                "indicators": [
                    {
                        "code": r.indicator.code,
                        "label": str(r.indicator.label),
                        "kind": r.indicator.kind,
                        "overall": _estimate(r.overall),
                        "by_area": {code: _estimate(e) for code, e in r.by_area.items()},
                    }
                    for r in results.indicators
                ],
            }
        )


class ResponseInSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=Language.choices)
    age_band = serializers.ChoiceField(choices=AgeBand.choices, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)
    area_code = serializers.CharField(required=False, allow_blank=True, max_length=30)
    answers = serializers.DictField(child=serializers.IntegerField())


class WaveResponseCreate(APIView):
    """One complete response, under the rules of the public survey page (the wave is open, the
    profile and neighbourhood are the wave's, at least one answer); an answer outside an
    item's scale refuses it, naming the item."""

    permission_classes = [requires(Permission.RUN_SURVEYS)]

    @extend_schema(
        request=ResponseInSerializer,
        responses={201: inline_serializer("ResponseCreated", {"id": serializers.IntegerField()})},
    )
    def post(self, request: Request, org_slug: str, pk: int) -> ApiResponse:
        wave = get_object_or_404(SurveyWave, pk=pk)
        incoming = ResponseInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            with transaction.atomic():
                response = response_start(
                    wave=wave,
                    language=data["language"],
                    age_band=data.get("age_band", ""),
                    sex=data.get("sex", ""),
                    area_code=data.get("area_code", ""),
                    imported=True,
                )
                _saved, errors = answers_save(response=response, raw=data["answers"])
                if errors:
                    transaction.set_rollback(True)  # all or nothing
                    return ApiResponse(
                        {"answers": {code: error.messages for code, error in errors.items()}},
                        status=status.HTTP_400_BAD_REQUEST,
                    )
                response_complete(response=response)
        except ValidationError as error:
            return ApiResponse(
                api_error_detail(error, messages_key="answers"), status=status.HTTP_400_BAD_REQUEST
            )
        audit_record(
            actor=request.user,
            organisation=wave.organisation,
            action=AuditAction.CREATE,
            target=wave,
            detail={"via": "api", "response": response.pk},
        )
        return ApiResponse({"id": response.pk}, status=status.HTTP_201_CREATED)
