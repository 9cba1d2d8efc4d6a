"""Five languages: every UI string is extracted, translated and not fuzzy, in nl, en, de, fr, it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

import secu4all

PACKAGE = Path(secu4all.__file__).parent
LOCALE = PACKAGE / "locale"
CODES = [code for code, _name in settings.LANGUAGES]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{\s*\w+\s*\}\}")
# The platform has well over a thousand UI strings: a catalogue (or an extraction) with fewer
# is broken, not complete, even when none of its few entries is untranslated or fuzzy.
MIN_STRINGS = 1000


def catalogue(code: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / code / "LC_MESSAGES" / "django.po"))


def catalogue_problems(po: polib.POFile, code: str) -> list[str]:
    """Why one language's catalogue is not fit to ship; empty when it is."""
    problems = []
    if po.metadata.get("Language") != code:
        problems.append(f"{code}: Language is {po.metadata.get('Language')!r}")
    translated = po.translated_entries()
    if len(translated) < MIN_STRINGS:
        problems.append(f"{code}: {len(translated)} translated strings, fewer than {MIN_STRINGS}")
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    if untranslated:
        problems.append(f"{code}: untranslated {untranslated}")
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    if fuzzy:
        problems.append(f"{code}: fuzzy {fuzzy}")
    if "fuzzy" in po.metadata_as_entry().flags:
        problems.append(f"{code}: the header is fuzzy")
    return problems


def untranslated_of(po: polib.POFile, wanted: set[str]) -> set[str]:
    """The strings of ``wanted`` that ``po`` lacks or leaves untranslated or fuzzy."""
    return wanted - {entry.msgid for entry in po.translated_entries()}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    """Every string marked for translation in the code, extracted afresh by makemessages."""
    source = tmp_path_factory.mktemp("extract") / "secu4all"
    shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns("locale", "engines"))
    (source / "locale").mkdir()
    with pytest.MonkeyPatch.context() as patch, override_settings(LOCALE_PATHS=[source / "locale"]):
        patch.chdir(source)
        call_command("makemessages", locale=["en"], no_location=True, verbosity=0)
    return {e.msgid for e in polib.pofile(str(source / "locale/en/LC_MESSAGES/django.po"))}


def test_the_five_languages_are_offered() -> None:
    assert CODES == ["nl", "en", "de", "fr", "it"]


@pytest.mark.parametrize("code", CODES)
def test_catalogue_is_complete_and_not_fuzzy(code: str) -> None:
    assert catalogue_problems(catalogue(code), code) == []


def test_an_empty_or_stub_catalogue_fails_the_checks(extracted: set[str]) -> None:
    """The checks above and below must not pass on a catalogue that translates nothing."""
    empty = polib.POFile()
    empty.metadata = {"Language": "nl"}
    assert any("fewer than" in problem for problem in catalogue_problems(empty, "nl"))
    assert untranslated_of(empty, extracted) == extracted
    stub = polib.POFile()
    stub.metadata = {"Language": "nl"}
    stub.append(polib.POEntry(msgid="Sign in", msgstr="Inloggen"))
    assert any("fewer than" in problem for problem in catalogue_problems(stub, "nl"))


@pytest.mark.parametrize("code", CODES)
def test_placeholders_survive_translation(code: str) -> None:
    for entry in catalogue(code).translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            assert sorted(PLACEHOLDER.findall(text)) == expected, (code, entry.msgid)


def test_every_string_in_the_code_is_in_the_catalogues(extracted: set[str]) -> None:
    """Extract the strings afresh and compare: a new string without translations fails here."""
    # An extraction that silently found nothing would make the comparison below vacuous.
    assert len(extracted) >= MIN_STRINGS
    for code in CODES:
        known = {entry.msgid for entry in catalogue(code)}
        assert extracted - known == set(), f"{code} lacks {sorted(extracted - known)}"
        missing = untranslated_of(catalogue(code), extracted)
        assert missing == set(), f"{code} does not translate {sorted(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize("code", CODES)
def test_home_page_is_served_in_each_language(client, code: str) -> None:
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=code)
    assert f'<html lang="{code}">' in response.content.decode()
    assert response["Content-Language"] == code


@pytest.mark.django_db
def test_home_page_text_differs_per_language(client) -> None:
    headings = set()
    for code in CODES:
        html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=code).content.decode()
        headings.add(re.search(r"<h1>(.*?)</h1>", html).group(1))
    assert len(headings) == len(CODES)


@pytest.mark.django_db
def test_language_choice_is_remembered(client) -> None:
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/crime/"})
    assert response.status_code == 302
    assert response["Location"] == "/crime/"
    assert '<html lang="fr">' in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_unknown_language_code_is_refused_by_name(client) -> None:
    response = client.post(reverse("set_language"), {"language": "xx"})
    assert response.status_code == 400
    assert "“xx”" in response.content.decode()
    assert "nl, en, de, fr, it" in response.content.decode()


@pytest.mark.django_db
def test_unknown_accept_language_falls_back_to_english(client) -> None:
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="xx-YY,zz;q=0.8")
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_language_switch_never_redirects_off_site(client) -> None:
    response = client.post(
        reverse("set_language"), {"language": "de", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"
