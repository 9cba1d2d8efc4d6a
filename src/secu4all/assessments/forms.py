"""Forms of assessments: the site, and the questionnaire that becomes the engine's input."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core import validators
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from secu4all.assessments import geometry
from secu4all.assessments.library import CatalogueEntry
from secu4all.assessments.models import ScenarioInclusion, Site, SiteZone
from secu4all.common.tlp import Tlp
from secu4all.engines import risk

SCORE = {"min_value": 1, "max_value": 10}


class ZoneForm(forms.ModelForm):
    class Meta:
        model = SiteZone
        fields = ["name", "kind", "note"]


# The site's editable facts, shared by the form and the API.
SITE_FIELDS = [
    "name",
    "kind",
    "country",
    "capacity",
    "crowd_density",
    "is_event",
    "entry_checks",
    "lon",
    "lat",
    "opening_times",
]


def max_corners() -> int:
    return int(getattr(settings, "SITE_AREA_MAX_CORNERS", geometry.MAX_CORNERS))


# A "latitude, longitude" line is about 25 characters; room for twice that per corner.
CHARACTERS_PER_CORNER = 50


class SiteForm(forms.ModelForm):
    corners = forms.CharField(
        label=_("Area: its corners, one “latitude, longitude” per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "Click the map to add corners, or type them. Leave empty when the site is a point."
        ),
    )

    class Meta:
        model = Site
        fields = SITE_FIELDS

    def __init__(self, *args, region: geometry.Region | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        # Warnings that do not stop the save, shown once the site is saved.
        self.warnings: list[str] = []
        # Checked before any parsing: a megabyte of corners is refused by its length alone.
        limit = max_corners() * CHARACTERS_PER_CORNER
        self.fields["corners"].validators.append(validators.MaxLengthValidator(limit))
        if self.instance.pk and not self.is_bound:
            self.initial["corners"] = geometry.corners_text(self.instance.area)

    def clean_corners(self) -> dict | None:
        try:
            corners = geometry.parse_corners(
                self.cleaned_data["corners"], max_corners=max_corners()
            )
        except geometry.AreaError as error:
            raise forms.ValidationError(str(error)) from None
        warning = geometry.self_intersection(corners)
        if warning:
            self.warnings.append(warning)
        return geometry.to_geojson(corners)

    def clean(self) -> dict:
        data = super().clean()
        area = data.get("corners")
        if area and data.get("kind"):
            problem = geometry.area_problem(
                area,
                kind=data["kind"],
                kind_label=str(dict(self.fields["kind"].choices).get(data["kind"], "")),
                region=self.region,
            )
            if problem:
                self.add_error("corners", problem)
                return data
        if area and data.get("lon") is None and data.get("lat") is None:
            figures = geometry.measure(area)
            data["lon"], data["lat"] = figures.centre_lon, figures.centre_lat
        return data

    def site_fields(self) -> dict:
        """The model's fields, the drawn area included."""
        data = {name: self.cleaned_data[name] for name in SITE_FIELDS}
        data["area"] = self.cleaned_data.get("corners")
        return data


def field_key(question_id: str) -> str:
    return "answer__" + question_id.replace(".", "__")


class AssessmentForm(forms.Form):
    """Scenarios with asset value and threat, every question of the questionnaire, the
    candidate measures and the budget, prefilled from the previous version."""

    matrix = forms.ChoiceField(
        label=_("Risk matrix"),
        choices=[("iso_31000_5x5", _("ISO 31000 5×5")), ("protect_uk_4x4", _("ProtectUK 4×4"))],
    )
    national_level = forms.IntegerField(
        label=_("National threat level (1–5)"), min_value=1, max_value=5
    )
    budget = forms.FloatField(label=_("Budget (euro per year)"), min_value=0)
    cost_basis = forms.ChoiceField(
        label=_("Compare costs as"),
        choices=[
            ("annualised", _("yearly cost (investment spread over its lifetime)")),
            ("investment", _("one-off investment")),
            ("tco", _("total cost of ownership over 10 years")),
        ],
    )
    tlp = forms.ChoiceField(
        label=_("Traffic Light Protocol label"), choices=Tlp.choices, initial=Tlp.AMBER
    )

    def __init__(
        self, *args, data_in: dict, catalogue: list[CatalogueEntry], kind: str = "", **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        # Measures the organisation offers, and any its previous version chose since withdrawn.
        candidate = {m["id"] for m in data_in.get("measures", [])}
        self.catalogue = [e for e in catalogue if e.offered or e.measure.id in candidate]
        chosen = {s["id"]: s for s in data_in.get("scenarios", [])}
        for scenario in risk.SCENARIOS:
            given = chosen.get(scenario.id)
            self.fields[f"include__{scenario.id}"] = forms.BooleanField(
                label=gettext(scenario.name), required=False, initial=given is not None
            )
            self.fields[f"asset__{scenario.id}"] = forms.IntegerField(
                label=_("Asset value"),
                required=False,
                initial=given and given["asset_value"],
                **SCORE,
            )
            self.fields[f"threat__{scenario.id}"] = forms.IntegerField(
                label=_("Threat"), required=False, initial=given and given["threat"], **SCORE
            )
        answers = data_in.get("answers", {})
        for question in risk.QUESTIONS:
            answer = answers.get(question.id)
            if isinstance(answer, str):
                answer = question.scale.index(answer) if answer in question.scale else None
            self.fields[field_key(question.id)] = forms.TypedChoiceField(
                label=gettext(question.text),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[
                    ("", _("— not known (scored as the worst answer) —")),
                    *[(i, gettext(label)) for i, label in enumerate(question.scale)],
                ],
                initial="" if answer is None else answer,
            )
        for entry in self.catalogue:
            measure = entry.measure
            self.fields[f"measure__{measure.id}"] = forms.BooleanField(
                label=gettext(measure.name) if entry.origin == "library" else measure.name,
                required=False,
                initial=measure.id in candidate,
            )
        self.fields["matrix"].initial = data_in.get("matrix", "iso_31000_5x5")
        self.fields["national_level"].initial = data_in.get("threat_context", {}).get(
            "national_level", 3
        )
        self.fields["budget"].initial = data_in.get("budget") or 0
        self.fields["cost_basis"].initial = data_in.get("cost_basis", "annualised")
        self.data_in = data_in

    def clean(self) -> dict:
        data = super().clean()
        included = [s for s in risk.SCENARIOS if data.get(f"include__{s.id}")]
        if not included:
            raise forms.ValidationError(_("Choose at least one threat scenario."))
        for scenario in included:
            for part in ("asset", "threat"):
                if data.get(f"{part}__{scenario.id}") is None:
                    self.add_error(
                        f"{part}__{scenario.id}",
                        _("Give a score from 1 to 10 for an included scenario."),
                    )
        if not any(data.get(f"measure__{e.measure.id}") for e in self.catalogue):
            raise forms.ValidationError(_("Choose at least one candidate measure."))
        return data

    def to_input(self) -> dict:
        """The engine's input: the previous input with this form's choices laid over it."""
        data = self.cleaned_data
        return {
            **self.data_in,
            "matrix": data["matrix"],
            "threat_context": {
                **self.data_in.get("threat_context", {}),
                "national_level": data["national_level"],
            },
            "scenarios": [
                {
                    "id": s.id,
                    "asset_value": data[f"asset__{s.id}"],
                    "threat": data[f"threat__{s.id}"],
                }
                for s in risk.SCENARIOS
                if data.get(f"include__{s.id}")
            ],
            "answers": {q.id: data.get(field_key(q.id)) for q in risk.QUESTIONS},
            "measures": [
                e.engine_input() for e in self.catalogue if data.get(f"measure__{e.measure.id}")
            ],
            "budget": data["budget"],
            "cost_basis": data["cost_basis"],
        }

    def scenario_rows(self) -> list[tuple[str, list]]:
        rows = []
        for family, label in risk.FAMILIES.items():
            members = [
                (self[f"include__{s.id}"], self[f"asset__{s.id}"], self[f"threat__{s.id}"])
                for s in risk.SCENARIOS
                if s.family == family
            ]
            rows.append((gettext(label), members))
        return rows

    def question_groups(self) -> list[tuple[str, list]]:
        return [
            (gettext(label), [self[field_key(q.id)] for q in risk.QUESTIONS if q.domain == domain])
            for domain, label in risk.DOMAINS.items()
        ]

    def measure_fields(self) -> list:
        return [self[f"measure__{e.measure.id}"] for e in self.catalogue]

    def _measures(self, relevant: bool) -> list:
        return [
            self[f"measure__{e.measure.id}"]
            for e in self.catalogue
            if risk.relevant_to(e.measure.id, self.kind) == relevant
        ]

    def relevant_measure_fields(self) -> list:
        """The measures that fit the kind of site (all of them when the kind is not given)."""
        return self._measures(True) if self.kind else self.measure_fields()

    def other_measure_fields(self) -> list:
        """The rest, shown on request; one already chosen keeps them in view."""
        return self._measures(False) if self.kind else []

    def other_chosen(self) -> bool:
        return any(field.value() for field in self.other_measure_fields())


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class MatrixSettingForm(forms.Form):
    """Labels, colours and thresholds as comma-separated lists; empty keeps the preset's."""

    preset = forms.ChoiceField(
        label=_("Starting point"),
        choices=[("iso_31000_5x5", _("ISO 31000 5×5")), ("protect_uk_4x4", _("ProtectUK 4×4"))],
    )
    likelihood_labels = forms.CharField(
        label=_("Likelihood labels, lowest first"), required=False, max_length=500
    )
    impact_labels = forms.CharField(
        label=_("Impact labels, lowest first"), required=False, max_length=500
    )
    level_names = forms.CharField(
        label=_("Risk levels, least serious first"), required=False, max_length=500
    )
    level_colours = forms.CharField(
        label=_("Colours of the levels (#rrggbb)"), required=False, max_length=500
    )
    thresholds = forms.CharField(
        label=_("Lowest likelihood × impact score of each level above the first"),
        required=False,
        max_length=200,
        help_text=_("Needed when the number of bands or levels differs from the starting point."),
    )

    def clean_thresholds(self) -> list[int]:
        values = _split(self.cleaned_data["thresholds"])
        try:
            return [int(v) for v in values]
        except ValueError:
            raise forms.ValidationError(_("Thresholds are whole numbers.")) from None

    def clean(self) -> dict:
        data = super().clean()
        for name in ("likelihood_labels", "impact_labels", "level_names", "level_colours"):
            if name in data:
                data[name] = _split(data[name])
        return data


class MeasureForm(forms.Form):
    """A measure's figures; the effect per scenario is entered as a percentage."""

    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(label=_("Category"))
    investment_eur = forms.FloatField(label=_("Investment (euro)"), min_value=0)
    yearly_cost_eur = forms.FloatField(label=_("Yearly cost (euro)"), min_value=0)
    lifetime_years = forms.FloatField(label=_("Lifetime (years)"), min_value=0.1)
    perceived_safety = forms.IntegerField(
        label=_("Effect on perceived safety (−2 to +2)"), min_value=-2, max_value=2
    )
    accessibility = forms.IntegerField(
        label=_("Effect on accessibility (−2 to +2)"), min_value=-2, max_value=2
    )
    offered = forms.BooleanField(label=_("Offer it in new assessments"), required=False)

    def __init__(self, *args, measure: risk.Measure | None, offered: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            (key, gettext(label)) for key, label in risk.CATEGORIES.items()
        ]
        for scenario in risk.SCENARIOS:
            self.fields[f"effect__{scenario.id}"] = forms.FloatField(
                label=gettext(scenario.name),
                required=False,
                min_value=0,
                max_value=99,
                help_text=_("percentage of the risk removed"),
            )
        if measure is not None and not self.is_bound:
            self.initial = {
                "name": gettext(measure.name),
                "category": measure.category,
                "investment_eur": measure.investment_eur,
                "yearly_cost_eur": measure.yearly_cost_eur,
                "lifetime_years": measure.lifetime_years,
                "perceived_safety": measure.perceived_safety,
                "accessibility": measure.accessibility,
                "offered": offered,
                **{f"effect__{k}": round(100 * v, 1) for k, v in measure.effects.items()},
            }
        elif not self.is_bound:
            self.initial = {"offered": True, "perceived_safety": 0, "accessibility": 0}

    def clean(self) -> dict:
        data = super().clean()
        if not any(data.get(f"effect__{s.id}") for s in risk.SCENARIOS):
            raise forms.ValidationError(
                _("Give the measure an effect on at least one threat scenario."),
                code="no_effect",
            )
        return data

    def effect_groups(self) -> list[tuple[str, list]]:
        return [
            (
                gettext(label),
                [self[f"effect__{s.id}"] for s in risk.SCENARIOS if s.family == family],
            )
            for family, label in risk.FAMILIES.items()
        ]

    def values(self) -> dict:
        data = self.cleaned_data
        effects = {
            s.id: round(data[f"effect__{s.id}"] / 100, 4)
            for s in risk.SCENARIOS
            if data.get(f"effect__{s.id}")
        }
        return {
            **{
                name: data[name]
                for name in (
                    "name",
                    "category",
                    "investment_eur",
                    "yearly_cost_eur",
                    "lifetime_years",
                    "perceived_safety",
                    "accessibility",
                    "offered",
                )
            },
            "effects": effects,
        }


class ScenarioLibraryForm(forms.Form):
    """For every library scenario: when new assessments include it, and its default scores."""

    def __init__(self, *args, settings: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for scenario in risk.SCENARIOS:
            setting = settings.get(scenario.id)
            self.fields[f"inclusion__{scenario.id}"] = forms.ChoiceField(
                label=_("Include"),
                choices=ScenarioInclusion.choices,
                initial=setting.inclusion if setting else ScenarioInclusion.BY_KIND,
            )
            self.fields[f"asset__{scenario.id}"] = forms.IntegerField(
                label=_("Asset value"),
                required=False,
                initial=setting and setting.asset_value,
                **SCORE,
            )
            self.fields[f"threat__{scenario.id}"] = forms.IntegerField(
                label=_("Threat"), required=False, initial=setting and setting.threat, **SCORE
            )
            self.fields[f"note__{scenario.id}"] = forms.CharField(
                label=_("Local note"),
                required=False,
                max_length=500,
                initial=setting.note if setting else "",
            )

    def rows(self) -> list[tuple[str, list]]:
        return [
            (
                gettext(label),
                [
                    (
                        gettext(s.name),
                        [self[f"{part}__{s.id}"] for part in ("inclusion", "asset", "threat")],
                        self[f"note__{s.id}"],
                    )
                    for s in risk.SCENARIOS
                    if s.family == family
                ],
            )
            for family, label in risk.FAMILIES.items()
        ]

    def settings(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {
            s.id: {
                "inclusion": data[f"inclusion__{s.id}"],
                "asset_value": data.get(f"asset__{s.id}"),
                "threat": data.get(f"threat__{s.id}"),
                "note": data.get(f"note__{s.id}", ""),
            }
            for s in risk.SCENARIOS
        }
