"""Parsers of incident files: every row becomes an incident, an area count or a rejection."""
