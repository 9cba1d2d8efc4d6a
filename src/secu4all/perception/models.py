"""Questionnaires, survey waves and their anonymous responses, population margins, audit walks.

Nothing here identifies a respondent: a response carries its wave, language, age band, sex,
neighbourhood code and the day it was started; no IP address, user agent or account.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from secu4all.common.tenancy import OrganisationOwned


class AgeBand(models.TextChoices):
    A15_24 = "15-24", _("15 to 24 years")
    A25_44 = "25-44", _("25 to 44 years")
    A45_64 = "45-64", _("45 to 64 years")
    A65 = "65+", _("65 years or older")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    # Population statistics count two sexes only, so this answer cannot be weighted.
    OTHER = "other", _("Other, or I would rather not say")


class Language(models.TextChoices):
    NL = "nl", "Nederlands"
    EN = "en", "English"
    DE = "de", "Deutsch"
    FR = "fr", "Français"
    IT = "it", "Italiano"


WEIGHTED_SEXES = (Sex.FEMALE.value, Sex.MALE.value)


class PerceptionSetting(OrganisationOwned):
    """The organisation's choices for perceived-safety results."""

    min_n = models.PositiveIntegerField(
        _("fewest respondents for a published estimate"), default=30
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="one_perception_setting")
        ]


class Questionnaire(OrganisationOwned):
    """Items chosen from the library, and the organisation's own items, in a fixed order."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.name


class QuestionnaireItem(OrganisationOwned):
    """One question of a questionnaire: a library item by code, or the organisation's own.

    Own items carry their wording per language and use one of the library's answer scales,
    so every language shares the same codes.
    """

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"))
    code = models.SlugField(_("item code"), max_length=60)
    from_library = models.BooleanField(_("from the library"), default=True)
    own_texts = models.JSONField(_("wording per language"), default=dict, blank=True)
    own_scale = models.CharField(_("answer scale"), max_length=30, blank=True)
    own_reverse = models.BooleanField(_("reverse-coded"), default=False)

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="unique_item_code")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def definition(self):
        """The item as the survey and the estimates use it (a library.LibraryItem)."""
        from secu4all.perception.library import LibraryItem, library_item, scales

        if self.from_library:
            found = library_item(self.code)
            if found is None:
                raise LookupError(f"Item {self.code} is not in the instrument library.")
            return found
        return LibraryItem(
            code=self.code,
            instrument="own",
            scale=scales()[self.own_scale],
            reverse=self.own_reverse,
            text=dict(self.own_texts),
            source=str(self.organisation),
            version="",
        )


class SurveyWave(OrganisationOwned):
    """One round of fieldwork of a questionnaire, with its public link."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="waves",
        verbose_name=_("questionnaire"),
    )
    name = models.CharField(_("name"), max_length=200)
    period_start = models.DateField(_("fieldwork starts"))
    period_end = models.DateField(_("fieldwork ends"))
    token = models.CharField(max_length=32, unique=True)
    area_code = models.CharField(
        _("only this neighbourhood (area code)"), max_length=30, blank=True
    )
    codes_required = models.BooleanField(_("invitation codes required"), default=False)
    is_open = models.BooleanField(_("open for answers"), default=True)
    # The fieldwork window to the minute: answers are taken from opens_at (inclusive) until
    # closes_at (exclusive); either may be left open-ended.
    opens_at = models.DateTimeField(_("answers taken from"), null=True, blank=True)
    closes_at = models.DateTimeField(_("answers taken until"), null=True, blank=True)
    # When the wave stopped taking answers (closed by hand, or its window ended): the date the
    # closed page gives, and the moment its estimates were frozen.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")

    def __str__(self) -> str:
        return self.name


class InvitationCode(OrganisationOwned):
    """A single-use code printed on an invitation letter; only its SHA-256 is stored."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    # Only that it was used: not when (a day could be matched against the day a response was
    # started) and not by which response.
    used = models.BooleanField(_("used"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "code_hash"], name="unique_invitation_code")
        ]


class Suspicion(models.TextChoices):
    DEVICE = "device", _("the same device answered more than once")
    NETWORK = "network", _("many responses from one network within minutes")


class Review(models.TextChoices):
    PENDING = "pending", _("awaiting review")
    KEPT = "kept", _("kept")
    EXCLUDED = "excluded", _("excluded")


class Response(OrganisationOwned):
    """One respondent's answers; the random key in the URL lets them resume, nothing else."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="responses")
    key = models.CharField(max_length=32, unique=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    area_code = models.CharField(_("neighbourhood (area code)"), max_length=30, blank=True)
    complete = models.BooleanField(_("complete"), default=False)
    imported = models.BooleanField(_("imported from a file"), default=False)
    # The day only: a timestamp to the second could be matched against server logs.
    created_on = models.DateField(_("started on"))
    # A keyed hash (per wave) of the random token the survey page keeps in the browser's own
    # storage: it tells that one device answered twice, not who or where it is.
    device_hash = models.CharField(max_length=64, blank=True, db_index=True)
    suspicion = models.CharField(
        _("why flagged"), max_length=10, choices=Suspicion.choices, blank=True
    )
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, blank=True)

    class Meta:
        ordering = ["wave", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.wave} #{self.pk}"


class EstimateSnapshot(OrganisationOwned):
    """A wave's published estimates as frozen at a moment: version 1 at closing, a new version
    for every later change. Written once and never updated, so a figure quoted from an earlier
    version can always be found again."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="snapshots")
    version = models.PositiveIntegerField(_("version"))
    frozen_at = models.DateTimeField(_("frozen at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What changed since the version before: {"excluded": 3, "restored": 0, "reweighted": false}
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    excluded = models.PositiveIntegerField(_("responses excluded"), default=0)
    figures = models.JSONField(_("figures"))

    class Meta:
        ordering = ["wave", "version"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "version"], name="one_snapshot_per_version")
        ]


class Answer(OrganisationOwned):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(QuestionnaireItem, on_delete=models.CASCADE, related_name="answers")
    value = models.SmallIntegerField(_("answer code"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item")
        ]


class PopulationMargin(OrganisationOwned):
    """Inhabitants of one neighbourhood × age band × sex; for one wave, or organisation-wide."""

    wave = models.ForeignKey(
        SurveyWave, on_delete=models.CASCADE, related_name="margins", null=True, blank=True
    )
    area_code = models.CharField(_("area code"), max_length=30)
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices[:2])
    population = models.PositiveIntegerField(_("inhabitants"))

    class Meta:
        ordering = ["area_code", "age_band", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "wave", "area_code", "age_band", "sex"],
                name="unique_margin_cell",
            )
        ]


class WalkTime(models.TextChoices):
    DAY = "day", _("Day")
    NIGHT = "night", _("After dark")


class AuditWalk(OrganisationOwned):
    """A safety audit walk in the style of SafetiPin: a group walks a route and rates places."""

    area_code = models.CharField(_("neighbourhood (area code)"), max_length=30)
    route = models.CharField(_("route"), max_length=200)
    time_of_day = models.CharField(_("day or night"), max_length=5, choices=WalkTime.choices)
    walked_on = models.DateField(_("date"))
    walkers = models.PositiveSmallIntegerField(_("number of walkers"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-walked_on", "-id"]
        verbose_name = _("audit walk")
        verbose_name_plural = _("audit walks")

    def __str__(self) -> str:
        return f"{self.route} ({self.get_time_of_day_display()}, {self.walked_on:%Y-%m-%d})"


# SafetiPin's nine parameters (Viswanath & Basu 2015, Gender & Development 23(1)), each 0–3.
PIN_CRITERIA = (
    ("lighting", _("Lighting")),
    ("openness", _("Openness")),
    ("visibility", _("Visibility")),
    ("people", _("People present")),
    ("security", _("Security presence")),
    ("walk_path", _("Walk path")),
    ("transport", _("Public transport")),
    ("gender_diversity", _("Gender diversity")),
    ("feeling", _("Feeling of safety")),
)


def _rating(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, validators=[MaxValueValidator(3)])


def pin_photo_path(pin: AuditPin, filename: str) -> str:
    return f"perception/{pin.organisation.slug}/walk-{pin.walk_id}/{filename}"


class AuditPin(OrganisationOwned):
    walk = models.ForeignKey(AuditWalk, on_delete=models.CASCADE, related_name="pins")
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    lighting = _rating(_("lighting"))
    openness = _rating(_("openness"))
    visibility = _rating(_("visibility"))
    people = _rating(_("people present"))
    security = _rating(_("security presence"))
    walk_path = _rating(_("walk path"))
    transport = _rating(_("public transport"))
    gender_diversity = _rating(_("gender diversity"))
    feeling = _rating(_("feeling of safety"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    photo = models.ImageField(_("photo"), upload_to=pin_photo_path, blank=True)
    # The neighbourhood whose boundary holds the point, set on save and again when
    # boundaries are imported; empty where no boundary holds it.
    neighbourhood_code = models.CharField(_("neighbourhood code"), max_length=30, blank=True)

    class Meta:
        ordering = ["walk", "id"]


class RejectedResponseRow(OrganisationOwned):
    """A row of a response file that could not be imported, kept with the reason."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="rejections")
    file_name = models.CharField(_("file"), max_length=255)
    row = models.PositiveIntegerField(_("row"))
    field = models.CharField(_("field"), max_length=100)
    reason = models.TextField(_("reason"))
    raw = models.TextField(_("row as in the file"))
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "row"]
