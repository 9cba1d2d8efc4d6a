"""Neighbourhoods: the place every capability reports on, with its boundaries and inhabitants."""
