"""Append-only audit log of who viewed, exported, changed or deleted sensitive objects."""
