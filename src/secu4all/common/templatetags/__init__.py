"""Template filters shared by every page (registered as built-ins in the settings)."""
