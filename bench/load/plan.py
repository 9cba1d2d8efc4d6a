"""What the load users need from the database, found once before a run and written as JSON.

The locust process does not import Django (locust patches the standard library with gevent),
so the driver and the smoke test call ``build_plan`` with Django set up and hand the file to
locust in ``SECU4ALL_LOAD_PLAN``. The project's modules are imported inside the functions: run
as a script (by the driver), this file sets Django up first.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from secu4all.perception.models import SurveyWave

ORGANISATION = "havenstad"
# Demo accounts (organisations/demo.py, partnerships/demo.py) by what they do in the run.
STAFF = {"adviser": "adviser", "analyst": "analyst", "learner": "learner", "importer": "admin"}
# Partner organisations' staff, each reading the partnerships its organisation is in.
PARTNERS = {
    "partner": "havenstad-stadion",
    "organiser": "vierdaagse",
    "agent": "politie-havenstad",
}


def write_import_file(directory: Path, *, background: int, burglaries: int) -> dict[str, str]:
    """A CSV of generated incidents (a seed the demo does not use, so its rows are new) and
    its column mapping, uploaded through the imports page during the run."""
    from secu4all.incidents import demo_generator

    rows = demo_generator.generate(seed=1616, background=background, burglaries=burglaries)
    csv_path = directory / "load-import.csv"
    csv_path.write_bytes(demo_generator.as_csv(rows))
    mapping_path = directory / "load-import-mapping.json"
    mapping_path.write_text(json.dumps(demo_generator.MAPPING), encoding="utf-8")
    return {"csv": str(csv_path), "mapping": str(mapping_path), "rows": len(rows)}


def open_wave() -> SurveyWave:
    from django_scopes import scopes_disabled

    from secu4all.perception.models import SurveyWave

    with scopes_disabled():
        for wave in SurveyWave.objects.filter(organisation__slug=ORGANISATION).order_by("pk"):
            if wave.is_open and not wave.codes_required:
                return wave
    raise LookupError(f"{ORGANISATION} has no open survey wave without invitation codes")


def complete_responses(wave: SurveyWave) -> int:
    from django_scopes import scopes_disabled

    from secu4all.perception.models import Response

    with scopes_disabled():
        return Response.objects.filter(wave=wave, complete=True).count()


def learner_accounts(count: int) -> list[str]:
    """Learners of their own: a learner works in one attempt at a time, which two simulated
    people sharing the demo account would both answer (the server refuses the second)."""
    from django.contrib.auth import get_user_model

    from secu4all.organisations.models import Organisation, Role
    from secu4all.organisations.services import membership_grant

    User = get_user_model()
    organisation = Organisation.objects.get(slug=ORGANISATION)
    # The demo password's hash, computed once: Argon2 a hundred times would take minutes.
    password = User.objects.get(username=STAFF["learner"]).password
    names = [f"load-learner-{n:03d}" for n in range(1, count + 1)]
    for name in names:
        user, _created = User.objects.get_or_create(username=name, defaults={"password": password})
        membership_grant(actor=None, organisation=organisation, user=user, role=Role.LEARNER)
    return names


def build_plan(
    directory: Path, *, import_background: int, import_burglaries: int, learners: int = 0
) -> Path:
    """Write plan.json (and the import file) into ``directory``; returns the plan's path."""
    from django_scopes import scopes_disabled

    from secu4all.assessments.models import Site
    from secu4all.partnerships.models import Partnership
    from secu4all.shell.demo_loader import DEMO_PASSWORD
    from secu4all.training.selectors import course_lessons

    with scopes_disabled():
        wave = open_wave()
        plan = {
            "organisation": ORGANISATION,
            "password": DEMO_PASSWORD,
            "staff": STAFF,
            "partners": PARTNERS,
            "sites": list(
                Site.objects.filter(organisation__slug=ORGANISATION).values_list("pk", flat=True)
            ),
            "partnerships": list(
                Partnership.objects.filter(organisation__slug=ORGANISATION).values_list(
                    "pk", flat=True
                )
            ),
            "lessons": list(course_lessons().values_list("key", flat=True)),
            "learners": learner_accounts(learners) or [STAFF["learner"]],
            "wave": {"pk": wave.pk, "token": wave.token},
            "import": write_import_file(
                directory, background=import_background, burglaries=import_burglaries
            ),
        }
    path = directory / "plan.json"
    path.write_text(json.dumps(plan, indent=1), encoding="utf-8")
    return path


def _main() -> None:
    """``plan.py prepare DIR BACKGROUND BURGLARIES LEARNERS``: migrate, load the demo, write
    the plan. ``plan.py count``: the state the driver checks afterwards, as JSON."""
    import sys

    from secu4all import cli

    cli._setup_django()
    if sys.argv[1] == "prepare":
        from secu4all.shell.demo_loader import load_demo

        cli._migrate(verbosity=0)
        load_demo()
        directory, background, burglaries, learners = sys.argv[2], *map(int, sys.argv[3:6])
        print(
            build_plan(
                Path(directory),
                import_background=background,
                import_burglaries=burglaries,
                learners=learners,
            )
        )
    else:
        print(json.dumps(database_state()))


def database_state() -> dict:
    """What the run must have left: every survey sent stored, the import finished."""
    from django_scopes import scopes_disabled

    from secu4all.incidents.models import ImportRun

    with scopes_disabled():
        runs = ImportRun.objects.filter(file_name="load-import.csv").order_by("pk")
        return {
            "complete_responses": complete_responses(open_wave()),
            "imports": [
                {
                    "status": r.status,
                    "rows": r.rows,
                    "imported": r.imported,
                    "duplicates": r.duplicates,
                    "message": r.message,
                    "seconds": (r.finished_at - r.created_at).total_seconds()
                    if r.finished_at
                    else None,
                }
                for r in runs
            ],
        }


if __name__ == "__main__":
    _main()
