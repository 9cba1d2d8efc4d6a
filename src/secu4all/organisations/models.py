"""Organisations, the people in them with their roles, and the base for tenant-owned rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from secu4all.common.tenancy import OrganisationOwned


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    POLICE = "police", _("Police")
    FIRE = "fire", _("Fire service")
    EVENT_ORGANISER = "event-organiser", _("Event organiser")
    VENUE = "venue", _("Venue operator")
    PRIVATE_SECURITY = "private-security", _("Private security firm")
    BUSINESS_ASSOCIATION = "business-association", _("Business association")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    LEARNER = "learner", _("Learner")
    TRAINER = "trainer", _("Trainer")
    ANALYST = "analyst", _("Crime analyst")
    SECURITY_ADVISER = "security-adviser", _("Security adviser")
    ORG_ADMIN = "org-admin", _("Organisation admin")
    PARTNER = "partner", _("Partner")


class Organisation(models.Model):
    """A municipality or a partner organisation: the tenant that owns data."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=30, choices=OrganisationKind.choices, default="municipality"
    )
    require_two_factor = models.BooleanField(
        _("require two-factor authentication for advisers and admins"), default=False
    )
    # ISO 3166-1 alpha-2; what a new site's country starts as.
    country = models.CharField(_("country (ISO code)"), max_length=2, blank=True, default="")
    # Metric projection of the organisation's incidents, chosen from its first located import.
    projection_epsg = models.PositiveIntegerField(_("projection (EPSG)"), null=True, blank=True)
    # The base map: a PMTiles archive under DATA_DIR/basemaps/, served by the platform itself.
    base_map = models.CharField(_("base map archive"), max_length=200, blank=True, default="")
    base_map_attribution = models.CharField(
        _("base map source"), max_length=200, blank=True, default=""
    )
    # A base map is public geography, but it shows where the organisation works: members only
    # unless the organisation opens it (e.g. for the public survey pages).
    base_map_public = models.BooleanField(_("base map open to everyone"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(OrganisationOwned):
    """One role that one user holds in one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["user__username", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "role"], name="unique_role_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class MembershipInvitation(OrganisationOwned):
    """A role offered to an existing user; it becomes a membership only when the user accepts.

    Until then the organisation has no hold on the user: no role, no two-factor duty.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership_invitations",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("membership invitation")
        verbose_name_plural = _("membership invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "role"], name="unique_invitation_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class DataVersion(OrganisationOwned):
    """A counter per organisation and kind of data, raised by every change of that data.

    Results computed from the data (near repeats, hotspot surfaces, survey estimates) are
    cached under the version they were computed on, so a change makes them stale at once,
    without any page having to count rows to find out.
    """

    topic = models.CharField(_("data"), max_length=40)
    version = models.PositiveBigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "topic"], name="one_version_per_topic")
        ]
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return f"{self.topic} v{self.version}"
