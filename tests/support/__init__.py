"""Builders and helpers shared by the test modules.

A test module imports from here, never from another test module or a conftest: builders make
their objects through the services (as the platform would), so a test stands on the same
ground as a user. ``people`` holds organisations and members, ``accounts`` signing in,
``browser`` the Playwright helpers, ``perception`` a surveyed town, ``incidents`` recorded
crime, ``partnerships`` a partnership world with an item under every TLP label.
"""
