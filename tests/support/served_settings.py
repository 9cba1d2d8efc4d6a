"""The embedded default's settings for a server a test starts: static files are copied, not
compressed as well, which keeps the server's start to seconds on a busy machine."""

from secu4all.site.settings.local import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
