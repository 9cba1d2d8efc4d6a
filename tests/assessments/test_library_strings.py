"""Every English text of the risk engine is listed for translation."""

from __future__ import annotations

from secu4all.assessments.library_strings import TEXTS
from secu4all.engines import risk
from secu4all.engines.risk.measures import CATEGORIES


def test_every_engine_text_is_marked_for_translation() -> None:
    texts = {
        *risk.FAMILIES.values(),
        *(s.name for s in risk.SCENARIOS),
        *risk.DOMAINS.values(),
        *(q.text for q in risk.QUESTIONS),
        *(label for q in risk.QUESTIONS for label in q.scale),
        *(m.name for m in risk.CATALOGUE),
        *CATEGORIES.values(),
        *(
            label
            for m in risk.MATRICES.values()
            for label in (*m.likelihood_labels, *m.impact_labels)
        ),
        *(level.name for m in risk.MATRICES.values() for level in m.levels),
        *(duty.text for duty in (*risk.STANDARD_DUTIES, *risk.ENHANCED_DUTIES)),
    }
    assert texts - set(TEXTS) == set()
