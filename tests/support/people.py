"""Organisations and their members, made through the organisations services."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from secu4all.organisations.models import Organisation
from secu4all.organisations.services import membership_grant, organisation_create

PASSWORD = "correct horse battery staple"


def organisation_make(
    slug: str, name: str | None = None, kind: str = "municipality"
) -> Organisation:
    return organisation_create(slug=slug, name=name or slug.title(), kind=kind)


def member_make(organisation: Organisation, role: str, username: str | None = None):
    """A user holding ``role`` in ``organisation``, created once per username."""
    username = username or f"{organisation.slug}-{role}"
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model().objects.create_user(
            username=username, password=PASSWORD, email=f"{username}@example.org"
        )
    membership_grant(actor=None, organisation=organisation, user=user, role=role)
    return user
