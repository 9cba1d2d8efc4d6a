"""Curriculum engine: read and check the curriculum files, score answers, analyse items.

Pure Python with no Django import; the training app stores what this reads.
"""

from .check import digest, read_curriculum
from .model import (
    ITEM_TYPES,
    LANGUAGES,
    REFERENCE_LANGUAGE,
    Curriculum,
    ItemData,
    LessonData,
    ModuleData,
    Problem,
    ScenarioChoice,
    ScenarioData,
    ScenarioNode,
    scenario_nodes,
)
from .scoring import Outcome, ResponseError, parse_response, score_response, shuffled
from .statistics import ItemStatistics, item_statistics

__all__ = [
    "ITEM_TYPES",
    "LANGUAGES",
    "REFERENCE_LANGUAGE",
    "Curriculum",
    "ItemData",
    "ItemStatistics",
    "LessonData",
    "ModuleData",
    "Outcome",
    "Problem",
    "ResponseError",
    "ScenarioChoice",
    "ScenarioData",
    "ScenarioNode",
    "digest",
    "item_statistics",
    "parse_response",
    "read_curriculum",
    "scenario_nodes",
    "score_response",
    "shuffled",
]
