"""Helicopter view of crime: incidents and area counts, imported with nothing lost."""
