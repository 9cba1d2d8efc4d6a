"""Organisations (municipalities and partners), memberships with roles, and tenant scoping."""
