"""Demo incidents for Gemeente Havenstad, imported through the real CSV importer."""

from __future__ import annotations

from secu4all.incidents import demo_generator
from secu4all.incidents.models import ImportRun
from secu4all.incidents.services import import_run_create, import_run_execute
from secu4all.neighbourhoods.services import area_save
from secu4all.organisations.models import Organisation

FILE_NAME = "havenstad-demo-incidents.csv"


def load(*, password: str) -> bool:
    organisation = Organisation.objects.get(slug="havenstad")
    if ImportRun.objects.filter(organisation=organisation, file_name=FILE_NAME).exists():
        return False
    boundaries = demo_generator.boundaries()
    for code, name, population in demo_generator.NEIGHBOURHOODS:
        area_save(
            organisation=organisation,
            code=code,
            name=name,
            population=population,
            boundary=boundaries[code],
        )
    data = demo_generator.as_csv(demo_generator.generate())
    run = import_run_create(
        organisation=organisation,
        actor=None,
        file_name=FILE_NAME,
        data=None,
        format="csv",
        mapping=demo_generator.MAPPING,
    )
    import_run_execute(run=run, data=data)
    return True
