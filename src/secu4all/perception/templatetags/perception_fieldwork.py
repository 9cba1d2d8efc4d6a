"""The label of a wave's frozen estimates, for any results page: {% estimates_version wave %}."""

from __future__ import annotations

from django import template
from django.utils.text import capfirst

from secu4all.perception.models import SurveyWave
from secu4all.perception.selectors import wave_snapshot
from secu4all.perception.snapshots import version_label

register = template.Library()


@register.simple_tag
def estimates_version(wave: SurveyWave, version: int | str | None = None) -> str:
    """“Version 2 of 14 March 2027, changed: 3 responses excluded”, or "" while fieldwork runs
    (the figures are then computed afresh). ``version`` empty: the latest."""
    number = int(version) if str(version or "").isdigit() else None
    snapshot = wave_snapshot(wave=wave, version=number)
    return capfirst(version_label(snapshot)) if snapshot else ""
