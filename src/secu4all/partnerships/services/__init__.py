"""Writing partnerships, one module per noun: members, sharing, excerpts, alerts, plans,
exercises, certification, and the records the lead keeps; refusals and item reads are logged by
``refusals``.

Every write is atomic and records its audit event in the lead organisation's log (the tenant
that hosts the partnership), in the same transaction. Import a function from the module that
owns it: this package re-exports nothing.
"""
