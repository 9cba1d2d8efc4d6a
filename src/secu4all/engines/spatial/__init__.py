"""Spatial analytics engine (placeholder while building)."""
