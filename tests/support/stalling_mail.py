"""An e-mail backend that hangs, as a mail server that accepts and never answers: it keeps a
real task running until the test kills the worker running it."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class StallingBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        # Tells the test that the task is under way.
        Path(os.environ["SECU4ALL_TEST_STALLED"]).write_text("sending")
        time.sleep(600)
        return 0
