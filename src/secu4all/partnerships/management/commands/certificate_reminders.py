"""Remind lead organisations of Keurmerk Veilig Ondernemen certificates about to lapse."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from secu4all.partnerships.services.certification import certification_send_reminders


class Command(BaseCommand):
    help = "E-mail the lead's admins and advisers about certificates that lapse within N days."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=90, help="look this many days ahead")

    def handle(self, *args, days: int, **options) -> None:
        sent = certification_send_reminders(within_days=days)
        self.stdout.write(f"{sent} certificate reminder(s) sent.")
