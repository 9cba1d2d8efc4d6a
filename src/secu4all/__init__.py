"""Secu4All: an open platform for safer public spaces."""

__version__ = "0.1.0"
