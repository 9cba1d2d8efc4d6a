"""Forms of the trainer's pages: cohorts, enrolment, live runs and reviews."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secu4all.training.models import Cohort, Scenario


class CohortForm(forms.Form):
    form = forms.CharField(widget=forms.HiddenInput, initial="cohort")
    name = forms.CharField(label=_("Name"), max_length=200)
    trainer = forms.TypedChoiceField(label=_("Trainer"), coerce=int)
    self_enrolment = forms.BooleanField(label=_("Learners may join by themselves"), required=False)

    def __init__(self, *args, members: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trainer"].choices = members


class EnrolForm(forms.Form):
    users = forms.TypedMultipleChoiceField(
        label=_("Members to enrol"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["users"].choices = members


class LiveRunForm(forms.Form):
    form = forms.CharField(widget=forms.HiddenInput, initial="live")
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.none())
    scenario = forms.TypedChoiceField(label=_("Scenario"), coerce=int)

    def __init__(self, *args, cohorts, scenarios: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        self.fields["scenario"].choices = scenarios

    def clean_scenario(self) -> Scenario:
        return Scenario.objects.get(pk=self.cleaned_data["scenario"], active=True)


class ReviewForm(forms.Form):
    score = forms.FloatField(label=_("Score"), min_value=0)
    comment = forms.CharField(
        label=_("Comment for the learner"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, max_score: float, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["score"].max_value = max_score
        self.fields["score"].validators.append(forms.fields.validators.MaxValueValidator(max_score))
        self.fields["score"].widget.attrs.update({"max": f"{max_score:g}", "step": "0.5"})
        self.fields["score"].help_text = _("From 0 to %(max)s points.") % {"max": f"{max_score:g}"}
