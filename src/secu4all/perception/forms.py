"""Forms of the perceived-safety pages (the public survey reads its answers itself)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secu4all.neighbourhoods.selectors import area_list
from secu4all.organisations.models import Organisation
from secu4all.perception.library import LANGUAGES, instruments, scales
from secu4all.perception.models import PIN_CRITERIA, AuditWalk, Questionnaire

LANGUAGE_NAMES = {
    "nl": "Nederlands",
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "it": "Italiano",
}


def area_choices(organisation: Organisation, blank: str | None = None) -> list[tuple[str, str]]:
    areas = area_list(organisation=organisation).order_by("name")
    choices = [(a.code, f"{a.name} ({a.code})") for a in areas]
    return ([("", blank)] if blank is not None else []) + choices


class QuestionnaireForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    items = forms.MultipleChoiceField(
        label=_("Items from the library"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every item is worded in Dutch, English, German, French and Italian."),
    )

    def __init__(self, *args, language: str = "en", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [
            (
                instrument.title_in(language),
                [(item.code, item.wording(language)) for item in instrument.items],
            )
            for instrument in instruments()
        ]
        self.fields["items"].initial = [i.code for ins in instruments() for i in ins.items]


class OwnItemForm(forms.Form):
    code = forms.SlugField(
        label=_("Item code"),
        max_length=60,
        help_text=_("Letters, digits, - and _; the column name in exports."),
    )
    scale = forms.ChoiceField(label=_("Answer scale"))
    reverse = forms.BooleanField(label=_("Reverse-coded"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scale"].choices = [
            (
                name,
                f"{name}: {' / '.join(scale.end_labels('en'))}",
            )
            for name, scale in scales().items()
        ]
        for lang in LANGUAGES:
            self.fields[f"text_{lang}"] = forms.CharField(
                label=_("Wording in %(language)s") % {"language": LANGUAGE_NAMES[lang]},
                max_length=500,
            )

    def texts(self) -> dict[str, str]:
        return {lang: self.cleaned_data[f"text_{lang}"] for lang in LANGUAGES}


class WaveForm(forms.Form):
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Questionnaire.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    period_start = forms.DateField(
        label=_("Fieldwork starts"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Fieldwork ends"), widget=forms.DateInput(attrs={"type": "date"})
    )
    area_code = forms.ChoiceField(label=_("Only this neighbourhood"), required=False)
    codes_required = forms.BooleanField(label=_("Invitation codes required"), required=False)

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.with_scope(
            organisation=organisation
        )
        self.fields["area_code"].choices = area_choices(
            organisation, blank=str(_("All neighbourhoods"))
        )

    def clean(self):
        data = super().clean()
        if (
            data.get("period_start")
            and data.get("period_end")
            and data["period_end"] < data["period_start"]
        ):
            self.add_error("period_end", _("The fieldwork cannot end before it starts."))
        return data


class WindowForm(forms.Form):
    """The fieldwork window, in the organisation's time zone (the site's ``TIME_ZONE``)."""

    opens_at = forms.DateTimeField(
        label=_("Answers taken from"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to take answers from now on."),
    )
    closes_at = forms.DateTimeField(
        label=_("Answers taken until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("The survey closes at this minute and its estimates are frozen."),
    )

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The fieldwork must close after it opens."))
        return data


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("Generate this many new codes"), min_value=0, max_value=100_000, required=False
    )
    codes = forms.CharField(
        label=_("Or add your own codes, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


class SettingForm(forms.Form):
    min_n = forms.IntegerField(
        label=_("Fewest respondents for a published estimate"),
        min_value=1,
        max_value=10_000,
        help_text=_(
            "Estimates from fewer respondents are shown greyed out and marked; 30 is usual."
        ),
    )


class AuditWalkForm(forms.ModelForm):
    area_code = forms.ChoiceField(label=_("Neighbourhood"))

    class Meta:
        model = AuditWalk
        fields = ["area_code", "route", "time_of_day", "walked_on", "walkers"]
        widgets = {"walked_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = area_choices(organisation)


RATING_CHOICES = [(0, "0"), (1, "1"), (2, "2"), (3, "3")]


class AuditPinForm(forms.Form):
    lat = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)
    photo = forms.FileField(
        label=_("Photo (optional, JPEG, PNG or WebP, up to 5 MB)"), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, label in PIN_CRITERIA:
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("0 = poor … 3 = good"),
            )

    def ratings(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name, _label in PIN_CRITERIA}
