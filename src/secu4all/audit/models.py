"""The audit event: one row per sensitive action, never changed or deleted."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from secu4all.common.tenancy import OrganisationOwned


class AuditAction(models.TextChoices):
    VIEW = "view", _("viewed")
    EXPORT = "export", _("exported")
    CREATE = "create", _("created")
    CHANGE = "change", _("changed")
    DELETE = "delete", _("deleted")
    SHARE = "share", _("shared")
    LOGIN = "login", _("signed in")


class AuditOutcome(models.TextChoices):
    ALLOWED = "allowed", _("allowed")
    REFUSED = "refused", _("refused")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events are append-only and cannot be updated.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit events are append-only and cannot be deleted.")


class AuditEvent(OrganisationOwned):
    """Who did what to which object, when, in which organisation."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept as text too, so the record still names the person if the account is renamed.
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    # A refused attempt is the attempted action with this outcome, so refusals can be queried.
    outcome = models.CharField(
        _("outcome"),
        max_length=10,
        choices=AuditOutcome.choices,
        default=AuditOutcome.ALLOWED,
        db_index=True,
    )
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = ScopedManager(
        _manager_class=models.Manager.from_queryset(AuditEventQuerySet), organisation="organisation"
    )

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        # The log page and its exports: one organisation, newest first, narrowed by person or
        # by object; each filter an index can answer without reading the whole trail.
        indexes = [
            models.Index(fields=["organisation", "-at", "-id"], name="audit_org_at"),
            models.Index(fields=["organisation", "actor", "-at"], name="audit_org_actor_at"),
            models.Index(
                fields=["organisation", "object_type", "object_id"], name="audit_org_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events are append-only and cannot be deleted.")


class SecurityEventKind(models.TextChoices):
    PROBE = "probe", _("an organisation's address tried by a non-member")


class SecurityEvent(models.Model):
    """The platform's security log, for its operators (not any organisation's audit log).

    One row per kind, session and path: a sweep of thousands of requests in one session
    leaves one row per address with its number of hits, not thousands of rows.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=SecurityEventKind.choices)
    first_at = models.DateTimeField(_("first seen"), auto_now_add=True, db_index=True)
    last_at = models.DateTimeField(_("last seen"), auto_now=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    username = models.CharField(_("who"), max_length=150, blank=True)
    # A digest, never the session key itself: the key is a credential.
    session = models.CharField(_("session"), max_length=64)
    path = models.CharField(_("address"), max_length=500)
    hits = models.PositiveIntegerField(_("hits"), default=1)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-last_at", "-id"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "session", "path"], name="security_event_once_per_session_path"
            )
        ]

    def __str__(self) -> str:
        return f"{self.last_at:%Y-%m-%d %H:%M} {self.username} {self.kind} {self.path}"
