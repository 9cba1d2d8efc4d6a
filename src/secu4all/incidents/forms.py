"""Forms of the crime overview: filters, hotspot options and file uploads."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from secu4all.common.files import ImportFileError, check_size
from secu4all.incidents.models import ImportFormat
from secu4all.incidents.selectors import IncidentFilter
from secu4all.incidents.taxonomy import Category

METHOD_CHOICES = [
    ("gistar", _("Hot and cold spots (Getis-Ord Gi*)")),
    ("kde", _("Kernel density")),
    ("local-moran", _("Clusters and outliers (local Moran)")),
]


class IncidentFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Category.choices]
    )
    area = forms.CharField(label=_("Area code"), required=False, max_length=30)
    method = forms.ChoiceField(label=_("Hotspot method"), choices=METHOD_CHOICES, required=False)
    cell = forms.IntegerField(
        label=_("Cell size (metres)"), min_value=10, max_value=5000, required=False
    )

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date lies before the start date."))
        return data

    def filters(self) -> IncidentFilter:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return IncidentFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            category=data.get("category") or "",
            area=(data.get("area") or "").strip(),
        )

    def hotspot_method(self) -> str:
        return (self.cleaned_data.get("method") if self.is_valid() else "") or "gistar"

    def cell_size(self) -> int:
        return (self.cleaned_data.get("cell") if self.is_valid() else None) or 100


class IncidentFileForm(forms.Form):
    """A form whose ``file`` is an incident file, refused when it is too large."""

    def clean_file(self):
        # Django counts the bytes it received: the size cannot be forged by a header.
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size, name=upload.name)
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class ImportForm(IncidentFileForm):
    file = forms.FileField(label=_("File (CSV or GeoJSON)"))
    format = forms.ChoiceField(label=_("Format"), choices=ImportFormat.choices)
    mapping = forms.FileField(
        label=_("Column mapping (JSON or YAML)"),
        required=False,
        help_text=_("Needed for the CSV and GeoJSON formats: which column holds what."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("format") in {"csv", "geojson"} and not data.get("mapping"):
            self.add_error("mapping", _("This format needs a column mapping."))
        return data


# What each field of a CSV mapping holds, as the mapping assistant asks for it.
MAPPING_LABELS = {
    "date": _("Date of the incident"),
    "time": _("Time of day"),
    "category": _("Category (type of crime)"),
    "id": _("Identifier in the source"),
    "longitude": _("Longitude (WGS 84)"),
    "latitude": _("Latitude (WGS 84)"),
    "x": _("X coordinate (projected)"),
    "y": _("Y coordinate (projected)"),
    "area": _("Neighbourhood code"),
    "area_name": _("Neighbourhood name"),
    "location": _("Address or place"),
    "outcome": _("Outcome"),
}
PAIRS = (("longitude", "latitude"), ("x", "y"))


class AssistantUploadForm(IncidentFileForm):
    file = forms.FileField(label=_("CSV file of incidents"))


class ColumnMappingForm(forms.Form):
    """Which column of the uploaded file holds each field, proposed from its header."""

    token = forms.CharField(widget=forms.HiddenInput)
    date_format = forms.CharField(
        label=_("Date format"),
        required=False,
        max_length=100,
        help_text=_(
            "Blank for dates such as 2026-03-14; otherwise for example %d-%m-%Y for "
            "14-03-2026 or %d/%m/%Y %H:%M for 14/03/2026 22:40."
        ),
    )
    epsg = forms.IntegerField(
        label=_("EPSG code of the X and Y coordinates"),
        required=False,
        min_value=1,
        help_text=_("For example 28992 for the Dutch RD grid or 27700 for the British grid."),
    )

    def __init__(self, *args, reading, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —"))]
        for column in reading.columns:
            example = next(iter(reading.samples.get(column, [])), "")
            label = (
                _("%(column)s (for example %(value)s)") % {"column": column, "value": example[:40]}
                if example
                else column
            )
            choices.append((column, label))
        for name, label in MAPPING_LABELS.items():
            self.fields[name] = forms.ChoiceField(
                label=label, choices=choices, required=name in ("date", "category")
            )
        # Each format right after the column it reads.
        order = list(MAPPING_LABELS)
        order.insert(order.index("date") + 1, "date_format")
        order.insert(order.index("y") + 1, "epsg")
        self.order_fields(order)

    def clean(self) -> dict:
        data = super().clean()
        chosen: dict[str, str] = {}
        for name in MAPPING_LABELS:
            column = data.get(name)
            if column and column in chosen:
                self.add_error(
                    name,
                    _("The column %(column)s is already chosen for “%(other)s”.")
                    % {"column": column, "other": MAPPING_LABELS[chosen[column]]},
                )
            elif column:
                chosen[column] = name
        for first, second in PAIRS:
            if bool(data.get(first)) != bool(data.get(second)):
                missing = second if data.get(first) else first
                self.add_error(missing, _("Choose this column too, or neither of the two."))
        if data.get("x") and not data.get("epsg"):
            self.add_error("epsg", _("X and Y coordinates need the EPSG code of their grid."))
        return data

    def mapping(self) -> dict:
        """The mapping in the form the generic importer reads (see ``importers.generic``)."""
        data = self.cleaned_data
        mapping: dict = {name: data[name] for name in MAPPING_LABELS if data.get(name)}
        if data.get("date_format"):
            mapping["date_format"] = data["date_format"]
        if data.get("x") and data.get("epsg"):
            mapping["epsg"] = data["epsg"]
        return mapping
