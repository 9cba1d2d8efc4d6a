"""The instrument library: every item in five languages on a scale labelled in all five."""

from __future__ import annotations

from secu4all.perception.library import LANGUAGES, instrument, instruments, library_items, scales


def test_every_item_is_worded_in_every_language_on_a_shared_scale() -> None:
    items = library_items()
    assert len(items) == 29
    for item in items.values():
        assert set(item.text) == set(LANGUAGES), item.code
        assert all(item.text[lang].strip() for lang in LANGUAGES), item.code
        # Wordings differ between languages: none was left untranslated.
        assert len({item.text[lang] for lang in LANGUAGES}) == 5, item.code
        assert item.source, item.code
        assert item.version, item.code
        for lang in LANGUAGES:
            codes = [code for code, _label in item.scale.choices(lang)]
            assert codes == list(item.scale.codes), (item.code, lang)


def test_every_scale_has_a_label_per_code_in_every_language() -> None:
    for scale in scales().values():
        assert set(scale.labels) == set(LANGUAGES), scale.name
        for lang in LANGUAGES:
            expected = 2 if scale.kind == "numeric" else len(scale.codes)
            assert len(scale.labels[lang]) == expected, (scale.name, lang)


def test_the_issue_lists_are_all_there() -> None:
    ess = instrument("ess").items[0]
    assert ess.text["en"] == (
        "How safe do you – or would you – feel walking alone in this area after dark?"
    )
    assert ess.scale.labels["en"] == ("Very safe", "Safe", "Unsafe", "Very unsafe")
    assert ess.indicator == "sdg_16_1_4"
    problems = instrument("problems").items
    assert len(problems) == 11
    risks = [i.code for i in instrument("veiligheidsmonitor").items if i.group == "risk"]
    assert risks == [
        "vm_risk_pickpocketing",
        "vm_risk_street_robbery",
        "vm_risk_burglary",
        "vm_risk_assault",
        "vm_risk_online_fraud",
    ]
    mark = library_items()["vm_report_mark"]
    assert mark.scale.codes == tuple(range(1, 11))
    cohesion = instrument("cohesion").items
    assert any(i.reverse for i in cohesion)
    assert not all(i.reverse for i in cohesion)
    assert [i.code for i in instruments()] == ["ess", "veiligheidsmonitor", "cohesion", "problems"]
