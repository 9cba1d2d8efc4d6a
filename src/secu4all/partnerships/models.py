"""Partnerships of public and private organisations, and what they plan, exercise and share.

Every row belongs to the partnership's lead organisation (its ``organisation``), the tenant
that hosts the partnership. Partner organisations read it across tenants only through
``partnerships.selectors.partnership_for`` and the TLP policy in ``partnerships.tlp``.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from secu4all.common.tenancy import OrganisationOwned
from secu4all.common.tlp import Tlp
from secu4all.organisations.models import Organisation


class PartnerKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    POLICE = "police", _("Police")
    FIRE = "fire", _("Fire service")
    SECURITY_REGION = "security-region", _("Security region")
    VENUE = "venue", _("Venue operator")
    EVENT_ORGANISER = "event-organiser", _("Event organiser")
    PRIVATE_SECURITY = "private-security", _("Private security firm")
    BUSINESS_ASSOCIATION = "business-association", _("Business association")
    TRANSPORT = "transport", _("Transport operator")


PUBLIC_KINDS = {
    PartnerKind.MUNICIPALITY,
    PartnerKind.POLICE,
    PartnerKind.FIRE,
    PartnerKind.SECURITY_REGION,
}


class PartnershipSubject(models.TextChoices):
    SITE = "site", _("A site")
    AREA = "area", _("An area")
    EVENT = "event", _("An event")


class Partnership(OrganisationOwned):
    """Partners around one site, area or event; ``organisation`` is the lead."""

    name = models.CharField(_("name"), max_length=200)
    subject = models.CharField(
        _("around"), max_length=10, choices=PartnershipSubject.choices, default="site"
    )
    site = models.ForeignKey(
        "assessments.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("site"),
    )
    description = models.TextField(_("description"), blank=True)
    # GREEN reaches the member organisations and these, e.g. the shops of a business district.
    community = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="partnership_communities",
        verbose_name=_("community beyond the members"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return self.name


class PartnerMembership(OrganisationOwned):
    """One organisation's place in a partnership, from joining until it leaves."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="members", verbose_name=_("partnership")
    )
    member = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=PartnerKind.choices)
    is_public = models.BooleanField(_("public body"), default=False)
    joined_on = models.DateField(_("joined on"), default=date.today)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["member__name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "member"],
                condition=models.Q(left_on__isnull=True),
                name="one_active_membership_per_partner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.partnership}"

    @property
    def active(self) -> bool:
        return self.left_on is None


class PartnerContact(OrganisationOwned):
    """A person to call at a partner organisation."""

    membership = models.ForeignKey(
        PartnerMembership, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class Raci(models.TextChoices):
    RESPONSIBLE = "R", _("Responsible")
    ACCOUNTABLE = "A", _("Accountable")
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")


class RaciAssignment(OrganisationOwned):
    """Who is responsible, accountable, consulted or informed for one measure or task."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="raci")
    measure = models.CharField(_("measure"), max_length=200, blank=True)
    action_item = models.ForeignKey(
        "ActionItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="raci",
        verbose_name=_("task"),
    )
    partner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("RACI role"), max_length=1, choices=Raci.choices)

    class Meta:
        ordering = ["measure", "role"]
        verbose_name = _("RACI assignment")
        verbose_name_plural = _("RACI assignments")

    def __str__(self) -> str:
        return f"{self.measure or self.action_item}: {self.role} {self.partner}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in-progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionItem(OrganisationOwned):
    """One action of the joint action plan."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner (person)"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    # Set when the owner left the partnership and the lead took the action over.
    needs_new_owner = models.BooleanField(_("needs a new owner"), default=False)
    source = models.CharField(_("from"), max_length=200, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.title

    @property
    def overdue(self) -> bool:
        return bool(self.deadline and self.status in OPEN_STATUSES and self.deadline < date.today())


class AgreementKind(models.TextChoices):
    COVENANT = "covenant", _("Covenant")
    INFORMATION_SHARING = "information-sharing", _("Information-sharing agreement")
    OTHER = "other", _("Other agreement")


class Agreement(OrganisationOwned):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=300)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["-signed_on", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.title


class Signatory(OrganisationOwned):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    partner = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    signed_by = models.CharField(_("signed by"), max_length=200)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        ordering = ["partner__name"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self) -> str:
        return f"{self.signed_by} ({self.partner})"


class CertificationStage(models.TextChoices):
    """Stages of the Keurmerk Veilig Ondernemen (Centrum voor Criminaliteitspreventie en
    Veiligheid), in order."""

    LETTER_OF_INTENT = "letter-of-intent", _("Letter of intent")
    BASELINE = "baseline", _("Baseline")
    PLAN = "plan", _("Plan of approach")
    IMPLEMENTATION = "implementation", _("Implementation")
    AUDIT = "audit", _("Audit")
    CERTIFIED = "certified", _("Certificate")


CERTIFICATE_YEARS = 3


class Certification(OrganisationOwned):
    """A Keurmerk Veilig Ondernemen track of one partnership."""

    STAGES = CertificationStage.choices

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="certifications"
    )
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=CertificationStage.choices,
        default=CertificationStage.LETTER_OF_INTENT,
    )
    letter_of_intent_on = models.DateField(_("letter of intent signed"), null=True, blank=True)
    # The three parts of the baseline.
    business_survey_done = models.BooleanField(_("survey among businesses done"), default=False)
    day_walk_done = models.BooleanField(_("day inspection walk done"), default=False)
    night_walk_done = models.BooleanField(_("night inspection walk done"), default=False)
    incident_figures_done = models.BooleanField(_("incident figures collected"), default=False)
    plan_agreed_on = models.DateField(_("plan of approach agreed"), null=True, blank=True)
    audit_on = models.DateField(_("audit"), null=True, blank=True)
    certified_on = models.DateField(_("certificate issued"), null=True, blank=True)
    expires_on = models.DateField(_("certificate expires"), null=True, blank=True)
    last_reminder_on = models.DateField(_("last reminder sent"), null=True, blank=True)

    class Meta:
        ordering = ["partnership__name"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return f"{self.partnership} · {self.get_stage_display()}"

    @property
    def baseline_complete(self) -> bool:
        return (
            self.business_survey_done
            and self.day_walk_done
            and self.night_walk_done
            and self.incident_figures_done
        )

    @staticmethod
    def expiry_for(issued: date) -> date:
        """A certificate is valid three years from the day it is issued."""
        try:
            return issued.replace(year=issued.year + CERTIFICATE_YEARS)
        except ValueError:  # 29 February
            return issued.replace(year=issued.year + CERTIFICATE_YEARS, day=28) + timedelta(1)


class SharedItemKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    MESSAGE = "message", _("Message")
    ASSESSMENT_EXCERPT = "assessment-excerpt", _("Assessment excerpt")
    INCIDENT_ALERT = "incident-alert", _("Incident alert")


class SharedItem(OrganisationOwned):
    """Something shared within a partnership under a TLP label; read only through ``tlp``."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="shared_items"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=SharedItemKind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    # No default: an item without a label is refused (see services.shared_item_create).
    tlp = models.CharField(_("TLP label"), max_length=20, choices=Tlp.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared by"),
    )
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )
    recipient_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("recipients (RED)")
    )
    recipient_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        verbose_name=_("recipient organisations (AMBER)"),
    )
    client_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        verbose_name=_("clients they may tell (AMBER)"),
    )
    # An excerpt of a risk assessment keeps its source: its label may never be wider than the
    # assessment's, at sharing and at every relabelling (``services.excerpt_label_check``).
    source_assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("excerpt of"),
    )
    attachment = models.FileField(
        _("attachment"), upload_to="partnerships/%Y/%m/", blank=True, max_length=300
    )
    attachment_name = models.CharField(_("file name"), max_length=255, blank=True)
    attachment_type = models.CharField(_("file type"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("shared at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("shared item")
        verbose_name_plural = _("shared items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tlp__in=Tlp.values), name="shared_item_has_tlp_label"
            )
        ]

    def __str__(self) -> str:
        return f"[{self.tlp}] {self.title}"


class ExerciseKind(models.TextChoices):
    TABLE_TOP = "table-top", _("Table-top")
    LIVE = "live", _("Live")


class Exercise(OrganisationOwned):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="exercises")
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=ExerciseKind.choices)
    scenario = models.TextField(_("scenario"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    participants = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("participants")
    )
    after_action_review = models.TextField(_("after-action review"), blank=True)

    class Meta:
        ordering = ["-held_on", "title"]
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")

    def __str__(self) -> str:
        return self.title


class Inject(OrganisationOwned):
    """One event fed to the players at a moment of the exercise."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="injects")
    minute = models.PositiveIntegerField(_("minute"))
    text = models.TextField(pgettext_lazy("exercise", "inject"))

    class Meta:
        ordering = ["minute", "pk"]
        verbose_name = pgettext_lazy("exercise", "inject")
        verbose_name_plural = pgettext_lazy("exercise", "injects")

    def __str__(self) -> str:
        return f"T+{self.minute}: {self.text[:60]}"


class Observation(OrganisationOwned):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="observations")
    text = models.TextField(_("observation"))
    went_well = models.BooleanField(_("went well"), default=False)
    # A follow-up action becomes an ActionItem of the plan when the review is closed.
    follow_up = models.CharField(_("follow-up action"), max_length=300, blank=True)
    follow_up_owner = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action_item = models.ForeignKey(
        ActionItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self) -> str:
        return self.text[:80]


class Alert(OrganisationOwned):
    """A warning to the partners, in the platform and by e-mail; it is a shared item."""

    item = models.OneToOneField(SharedItem, on_delete=models.CASCADE, related_name="alert")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    emailed_to = models.PositiveIntegerField(_("e-mailed to"), default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return str(self.item)


class Acknowledgement(OrganisationOwned):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    acting_for = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("acknowledged at"), auto_now_add=True)

    class Meta:
        ordering = ["at"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["alert", "user"], name="one_acknowledgement_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.at:%Y-%m-%d %H:%M}"
