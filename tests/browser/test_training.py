"""In a real browser, in English and Dutch: a learner works through both lessons of the fixture
curriculum, answers every item type, plays the scenario to its end, sees the progress, gets a
certificate that the public page confirms; the pages pass axe."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import serious_violations, sign_in

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "curriculum"
WORDS = {
    "en": {
        "lesson1": "Introduction",
        "module": "Basics of safe squares",
        "right": "Right.",
        "scenario": "Market evening",
        "why": "W1A right",
        "a_right": "A right",
        "park": "Park right",
    },
    "nl": {
        "lesson1": "Inleiding",
        "module": "Basis van veilige pleinen",
        "right": "Goed.",
        "scenario": "Marktavond",
        "why": "W1A goed",
        "a_right": "A goed",
        "park": "Park goed",
    },
}


@pytest.fixture
def training_town(demo_town, make_member):
    from secu4all.training.curriculum import curriculum_load

    curriculum_load(FIXTURE)
    demo_town["trainer"] = make_member(demo_town["organisation"], "trainer", username="marta")
    return demo_town


def switch_language(page: Page, code: str) -> None:
    page.locator("#language-select").select_option(code)
    page.locator(".language-form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def submit_item(page: Page, key: str) -> None:
    page.locator(f"#item-{key} form button[type=submit]").click()
    expect(page.locator(f"#feedback-{key}")).not_to_be_empty()


def answer_lesson_one(page: Page, words: dict) -> None:
    page.locator("#fx-single-a").check()
    submit_item(page, "fx-single")
    expect(page.locator("#feedback-fx-single")).to_contain_text(words["a_right"])
    page.locator("#fx-multiple-a").check()
    page.locator("#fx-multiple-b").check()
    submit_item(page, "fx-multiple")
    # True/false by keyboard alone: focus the radio, Space ticks it, Enter submits the form.
    page.locator("#fx-truefalse-true").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(page.locator("#feedback-fx-truefalse")).to_contain_text(words["right"])
    for pair in ("p1", "p2", "p3"):
        page.locator(f"#fx-matching-{pair}").select_option(pair)
    submit_item(page, "fx-matching")
    expect(page.locator("#feedback-fx-matching")).to_contain_text(words["right"])


def answer_lesson_two(page: Page, words: dict) -> None:
    # Ordering with the move buttons: bring each step to its place from the top down.
    ordering = page.locator("#item-fx-ordering ul.ordering")
    for place, step in enumerate(("S1", "S2", "S3")):
        while ordering.locator("li label").nth(place).inner_text() != step:
            item = ordering.locator("li", has=page.locator("label", has_text=step))
            item.locator("button.move").first.click()
    for place, step in enumerate(("s1", "s2", "s3"), start=1):
        expect(page.locator(f"#fx-ordering-{step}")).to_have_value(str(place))
    submit_item(page, "fx-ordering")
    expect(page.locator("#feedback-fx-ordering")).to_contain_text(words["right"])
    page.locator("#fx-numeric-value").fill("50,2")
    submit_item(page, "fx-numeric")
    expect(page.locator("#feedback-fx-numeric")).to_contain_text(words["right"])
    # Hotspot: a click on the region on the image ticks its radio button.
    page.locator('[data-region="fx-hotspot-r1"]').click()
    expect(page.locator("#fx-hotspot-r1")).to_be_checked()
    submit_item(page, "fx-hotspot")
    expect(page.locator("#feedback-fx-hotspot")).to_contain_text(words["park"])
    page.locator("#fx-freetext-text").fill("Watchful people and good lighting.")
    submit_item(page, "fx-freetext")


@pytest.mark.parametrize("code", ["en", "nl"])
def test_learner_completes_the_course_and_gets_a_verified_certificate(
    page: Page, live_server, training_town, code: str
) -> None:
    words = WORDS[code]
    base = live_server.url
    sign_in(page, base, "luca")
    page.goto(f"{base}/o/havenstad/training/")
    switch_language(page, code)
    expect(page.locator("main")).to_contain_text(words["module"])

    page.get_by_role("link", name=words["lesson1"], exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words["lesson1"])
    assert serious_violations(page) == []
    page.locator("main form button[type=submit]").click()
    assert serious_violations(page) == []
    answer_lesson_one(page, words)
    assert serious_violations(page) == []
    page.locator('form[action$="/submit/"] button').click()

    page.goto(f"{base}/o/havenstad/training/lessons/m1-l2-practice/")
    page.locator("main form button[type=submit]").click()
    answer_lesson_two(page, words)
    page.locator('form[action$="/submit/"] button').click()

    page.goto(f"{base}/o/havenstad/training/")
    page.get_by_role("link", name=words["scenario"]).click()
    page.locator("main form button[type=submit]").click()
    assert serious_violations(page) == []
    for _ in range(2):
        page.locator("#choice-a").check()
        page.locator("main form button[type=submit]").click()
    expect(page.locator("table.debrief tbody tr")).to_have_count(2)
    expect(page.locator("table.debrief")).to_contain_text(words["why"])
    assert serious_violations(page) == []

    page.goto(f"{base}/o/havenstad/training/")
    expect(page.locator("progress").first).to_have_attribute("value", "100")
    assert serious_violations(page) == []
    page.locator('a[href^="/certificates/"]').click()
    expect(page.locator(".notice.ok")).to_be_visible()
    expect(page.locator("main")).to_contain_text("luca")
    expect(page.locator("main")).to_contain_text(words["module"])
    assert serious_violations(page) == []


def test_trainer_dashboard_and_phone_width_pass_axe(page: Page, live_server, training_town) -> None:
    base = live_server.url
    sign_in(page, base, "marta")
    page.goto(f"{base}/o/havenstad/training/trainer/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert serious_violations(page) == []
    page.goto(f"{base}/o/havenstad/training/trainer/reviews/")
    assert serious_violations(page) == []
    # On a phone: the exercises fit the width and stay usable.
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{base}/o/havenstad/training/lessons/m1-l2-practice/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#item-fx-hotspot svg")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    assert serious_violations(page) == []


def test_unknown_certificate_code_is_said_plainly(page: Page, live_server, db) -> None:
    page.goto(f"{live_server.url}/certificates/ZZZZ-ZZZZ-ZZZZ-ZZZZ/")
    expect(page.locator(".notice.wrong")).to_contain_text("ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    assert serious_violations(page) == []


def test_exercises_work_without_javascript(browser, live_server, training_town) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    sign_in(page, base, "luca")
    page.goto(f"{base}/o/havenstad/training/lessons/m1-l2-practice/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("button.move")).to_have_count(0)  # the enhancement is absent
    for step, position in (("s1", "1"), ("s2", "2"), ("s3", "3")):
        page.locator(f"#fx-ordering-{step}").fill(position)
    submit_item(page, "fx-ordering")
    expect(page.locator("#feedback-fx-ordering")).to_contain_text("Right.")
    page.locator("#fx-hotspot-r2").check()
    submit_item(page, "fx-hotspot")
    expect(page.locator("#feedback-fx-hotspot")).to_contain_text("Kiosk wrong")
    context.close()
