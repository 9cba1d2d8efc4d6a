"""`secu4all assess FILE.yaml`: a whole assessment without a database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import yaml
from pypdf import PdfReader

from secu4all import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "assessment-example.yaml"


def test_example_file_is_assessed_with_report_and_json(tmp_path, capsys) -> None:
    report, out = tmp_path / "report.pdf", tmp_path / "result.json"
    code = cli.main(
        [
            "assess",
            str(EXAMPLE),
            "--report",
            str(report),
            "--json",
            str(out),
            "--tlp",
            "TLP:AMBER+STRICT",
        ]
    )
    assert code == 0, capsys.readouterr().err
    printed = capsys.readouterr().out
    assert "Christmas market" in printed
    result = json.loads(out.read_text())
    assert result["selection"]["cost"] <= result["budget"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(report.read_bytes())).pages)
    assert "TLP:AMBER+STRICT" in text
    assert "Christmas market" in text


def test_malformed_yaml_names_line(capsys) -> None:
    code = cli.main(["assess", str(ROOT / "tests/data/assessments/malformed.yaml")])
    assert code == 2
    assert "is not valid YAML at line" in capsys.readouterr().err


def test_bad_field_is_named(tmp_path, capsys) -> None:
    data = yaml.safe_load(EXAMPLE.read_text())
    data["measures"][0]["investment_eur"] = -5
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data))
    assert cli.main(["assess", str(bad)]) == 2
    assert "measures[0].investment_eur" in capsys.readouterr().err
