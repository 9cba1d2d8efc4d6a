"""The demo loads the curriculum when it passes the check, and skips training (never crashes)
when it does not."""

from __future__ import annotations

from pathlib import Path

from django_scopes import scopes_disabled

from secu4all.shell.demo_loader import load_demo
from secu4all.training.models import Attempt, Cohort, Enrolment, Module
from tests.training.conftest import FIXTURE


def test_demo_loads_a_cohort_with_progress(db, monkeypatch) -> None:
    monkeypatch.setenv("SECU4ALL_CURRICULUM_DIR", str(FIXTURE))
    assert load_demo()
    with scopes_disabled():
        cohort = Cohort.objects.get()
        assert cohort.trainer.username == "trainer"
        assert list(Enrolment.objects.values_list("user__username", flat=True)) == ["learner"]
        assert Attempt.objects.filter(user__username="learner").exclude(submitted_at=None).exists()
    assert not load_demo()  # a second run adds nothing


def test_demo_skips_a_broken_curriculum(db, monkeypatch, curriculum_copy: Path, capsys) -> None:
    (curriculum_copy / "m1-basics" / "fr" / "module.yaml").unlink()
    monkeypatch.setenv("SECU4ALL_CURRICULUM_DIR", str(curriculum_copy))
    load_demo()
    assert "Training demo skipped" in capsys.readouterr().out
    assert not Module.objects.exists()
    with scopes_disabled():
        assert not Cohort.objects.exists()
