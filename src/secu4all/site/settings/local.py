"""Settings for the embedded default: one machine, SQLite, a key kept in the data directory."""

from .base import *  # noqa: F403
from .base import DATA_DIR, local_secret_key

SECRET_KEY = local_secret_key(DATA_DIR)
