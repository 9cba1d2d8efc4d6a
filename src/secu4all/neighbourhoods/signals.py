"""Signals of the neighbourhoods app.

Capabilities sit above neighbourhoods and may import it, never the reverse; so when new
boundaries are imported, the apps that place things in neighbourhoods (incidents, audit-walk
pins, sites) hear it through this signal and re-assign their own rows.
"""

from django.dispatch import Signal

# Sent inside the import's transaction with ``organisation``, after boundaries changed.
boundaries_changed = Signal()
