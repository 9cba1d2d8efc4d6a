"""Background import: the web page queues the run, a worker executes it."""

from django_scopes import scopes_disabled
from django_tasks import task

from secu4all.incidents.models import ImportRun
from secu4all.incidents.services import import_run_execute


@task()
def run_import(run_id: int) -> dict:
    with scopes_disabled():
        run = ImportRun.objects.select_related("organisation", "created_by").get(pk=run_id)
    run = import_run_execute(run=run)
    return {"status": run.status, "imported": run.imported, "rejected": run.rejected}
