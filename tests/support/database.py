"""Data built once for a test module, under which each test's changes are rolled back.

pytest-django wraps every ``db`` test in a transaction that it rolls back. Opening one more
transaction around a whole module turns those into savepoints: what a module-scoped fixture
builds inside it is there for every test of the module, each test still sees it exactly as
built, and all of it is rolled back when the module ends.

Use it only in modules whose tests all stand on the built data and use ``db``: a
``transactional_db`` or ``live_server`` test commits and flushes, which a held transaction
would break (pytest-django runs those after the ``db`` tests, outside this transaction).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import transaction
from pytest_django import DjangoDbBlocker

Built = TypeVar("Built")


def built_once(django_db_blocker: DjangoDbBlocker, build: Callable[[], Built]) -> Iterator[Built]:
    """Yield what ``build()`` made inside a transaction held open until the module ends.

    For a module-scoped fixture: ``yield from built_once(django_db_blocker, make)``.
    """
    with django_db_blocker.unblock():
        held = transaction.atomic()
        held.__enter__()
        try:
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            held.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            held.__exit__(None, None, None)
