"""Count the incidents of every organisation (or one) anew, so the overview reads counts."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from secu4all.incidents.counts import rebuild
from secu4all.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Build the incident counts from the incidents, for data imported before counts "
        "were kept (run once after upgrading; imports keep them up to date after that)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organisation", help="the slug of one organisation (default: all)")

    def handle(self, *args, organisation: str | None, **options) -> None:
        with scopes_disabled():
            organisations = Organisation.objects.order_by("pk")
            if organisation:
                organisations = organisations.filter(slug=organisation)
                if not organisations.exists():
                    raise CommandError(f"No organisation with the slug {organisation!r}.")
            for org in organisations:
                rebuild(org)
                self.stdout.write(f"Counts of {org.slug} rebuilt.")
