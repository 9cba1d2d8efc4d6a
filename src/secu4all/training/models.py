"""Training: the platform-wide curriculum, and per organisation cohorts, attempts, runs,
certificates and learning records."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from secu4all.common.tenancy import OrganisationOwned


def new_seed() -> str:
    """The seed of an attempt's presentation order: 32 hex characters."""
    return secrets.token_hex(16)


# -- the curriculum: platform-wide, loaded from content/curriculum --------------------------


class CurriculumVersion(models.Model):
    """One load of the curriculum files; the newest is the one in use."""

    digest = models.CharField(_("content hash"), max_length=64, unique=True)
    source = models.CharField(_("source folder"), max_length=500)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    summary = models.JSONField(_("summary"), default=dict)

    class Meta:
        ordering = ["-loaded_at", "-pk"]
        verbose_name = _("curriculum version")

    def __str__(self) -> str:
        return f"{self.digest[:12]} ({self.loaded_at:%Y-%m-%d %H:%M})"


class Module(models.Model):
    key = models.SlugField(_("identifier"), max_length=100, unique=True)
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=20)
    required = models.BooleanField(_("required for the certificate"), default=True)
    pass_mark = models.FloatField(_("pass mark"))
    position = models.PositiveSmallIntegerField(_("position"))
    # Texts per language code: {"en": {"title": ..., "summary": ..., "objectives": [...]}}
    texts = models.JSONField(_("texts"), default=dict)
    active = models.BooleanField(_("in the current curriculum"), default=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("module")

    def __str__(self) -> str:
        return self.key


class Lesson(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    key = models.SlugField(_("identifier"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    texts = models.JSONField(_("texts"), default=dict)  # title, objectives, references, body
    active = models.BooleanField(_("in the current curriculum"), default=True)

    class Meta:
        ordering = ["module__position", "position"]
        verbose_name = _("lesson")

    def __str__(self) -> str:
        return self.key


class Item(models.Model):
    """An exercise item; ``structure`` holds its answer key, the same in every language."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(_("identifier"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"))
    type = models.CharField(_("type"), max_length=20)
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    structure = models.JSONField(_("answer key"), default=dict)
    texts = models.JSONField(_("texts"), default=dict)  # language -> the whole item
    active = models.BooleanField(_("in the current curriculum"), default=True)

    class Meta:
        ordering = ["lesson__module__position", "lesson__position", "position"]
        verbose_name = _("exercise item")

    def __str__(self) -> str:
        return self.key


class Scenario(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="scenarios")
    key = models.SlugField(_("identifier"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"))
    structure = models.JSONField(_("graph"), default=dict)
    texts = models.JSONField(_("texts"), default=dict)  # language -> the whole scenario
    active = models.BooleanField(_("in the current curriculum"), default=True)

    class Meta:
        ordering = ["module__position", "position"]
        verbose_name = _("scenario")

    def __str__(self) -> str:
        return self.key


class MediaFile(models.Model):
    """An image of the curriculum, stored so the database alone serves the course."""

    name = models.CharField(_("name"), max_length=200, unique=True)  # media/<file>
    content_type = models.CharField(_("content type"), max_length=100)
    data = models.BinaryField(_("data"))
    digest = models.CharField(_("content hash"), max_length=64)

    def __str__(self) -> str:
        return self.name


# -- per organisation ------------------------------------------------------------------------


class Cohort(OrganisationOwned):
    """A group of learners that a trainer follows; learners may join it themselves if allowed."""

    name = models.CharField(_("name"), max_length=200)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="trained_cohorts",
        verbose_name=_("trainer"),
    )
    self_enrolment = models.BooleanField(_("learners may join by themselves"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cohort")

    def __str__(self) -> str:
        return self.name


class Enrolment(OrganisationOwned):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("enrolment")
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="unique_enrolment")]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort}"


class LessonProgress(OrganisationOwned):
    """Where a learner is in a lesson: opened, read, exercises done."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "lesson"], name="unique_lesson_progress"
            )
        ]


class Attempt(OrganisationOwned):
    """One go at the exercises of a lesson; the items are shown in an order fixed by ``seed``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    registration = models.UUIDField(default=uuid.uuid4, editable=False)
    seed = models.CharField(max_length=32, default=new_seed)
    language = models.CharField(_("language"), max_length=10)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.FloatField(_("score"), default=0)
    max_score = models.FloatField(_("maximum score"), default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("attempt")

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson} · {self.started_at:%Y-%m-%d %H:%M}"


class ItemResponse(OrganisationOwned):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    response = models.JSONField(_("answer"))
    score = models.FloatField(_("score"), default=0)
    max_score = models.FloatField(_("maximum score"))
    correct = models.BooleanField(_("correct"), null=True)  # None: waits for review
    marks = models.JSONField(default=dict)
    answered_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        ordering = ["answered_at"]
        verbose_name = _("answer")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "item"], name="one_response_per_item")
        ]

    @property
    def awaiting_review(self) -> bool:
        return self.correct is None


class FreeTextReview(OrganisationOwned):
    response = models.OneToOneField(ItemResponse, on_delete=models.CASCADE, related_name="review")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    score = models.FloatField(_("score"))
    comment = models.TextField(_("comment for the learner"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("free-text review")


class ScenarioRun(OrganisationOwned):
    """One play of a scenario: by a learner alone, or live by a trainer with a cohort."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("played by"),
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="runs"
    )
    live = models.BooleanField(_("run live by a trainer"), default=False)
    registration = models.UUIDField(default=uuid.uuid4, editable=False)
    language = models.CharField(_("language"), max_length=10)
    current_node = models.CharField(max_length=100)
    # [{"node": id, "choice": id, "score": n, "at": iso}, ...] in the order taken
    path = models.JSONField(default=list)
    score = models.IntegerField(_("score"), default=0)
    max_score = models.IntegerField(_("best possible score"), default=0)
    outcome = models.CharField(_("outcome"), max_length=10, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("scenario run")


class Certificate(OrganisationOwned):
    """Proof that a learner passed every required module; verifiable by its code."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("code"), max_length=40, unique=True)
    learner_name = models.CharField(_("learner"), max_length=300)
    modules = models.JSONField(_("modules passed"), default=list)  # [{key, number, title}]
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")

    def __str__(self) -> str:
        return self.code

    @property
    def valid(self) -> bool:
        return self.revoked_at is None


class XapiStatement(OrganisationOwned):
    """A learning record (xAPI 1.0.3), kept here and forwarded to an LRS when one is set."""

    statement_id = models.UUIDField(unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verb = models.CharField(max_length=200)
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    tries = models.PositiveIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("learning record")
        indexes = [models.Index(fields=["forwarded_at", "next_try_at"])]
