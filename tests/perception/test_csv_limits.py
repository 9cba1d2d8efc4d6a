"""Finding 12.13, same class in survey files: an oversized field, a duplicated column and a
NUL byte are refused with the line or column, never a 500 or a silently replaced column."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from secu4all.perception.imports import read_csv


def test_a_field_over_the_csv_limit_names_its_line() -> None:
    data = b"area_code,age_band\nA1,15-24\nA2," + b"x" * 140_000 + b"\n"
    with pytest.raises(ValidationError) as refused:
        read_csv(data)
    assert "Line 3" in refused.value.messages[0]


def test_a_column_named_twice_is_refused_by_name() -> None:
    with pytest.raises(ValidationError) as refused:
        read_csv(b"area_code,sex,Area_Code\nA1,female,A2\n")
    assert "area_code" in refused.value.messages[0]


def test_a_nul_byte_is_refused_naming_its_line() -> None:
    with pytest.raises(ValidationError) as refused:
        read_csv(b"area_code,sex\nA1,female\nA2,\x00male\n")
    assert "Line 3" in refused.value.messages[0]


def test_an_ordinary_file_is_still_read() -> None:
    assert read_csv(b"Area_Code;Sex\nA1;female\n") == [{"area_code": "A1", "sex": "female"}]
