"""Format overrides per language: Django's own, except where a European reader expects otherwise."""
