"""Locust users of Secu4All: staff of the six capabilities, partners, an import, citizens.

Run by bench/bench_load.py (and, for a few seconds, by tests/site/test_load_smoke.py); both
write the plan (bench/load/plan.py) and name it in SECU4ALL_LOAD_PLAN. Other settings, all
from the environment:

- SECU4ALL_LOAD_THINK: "1,3" seconds between a user's requests (0,0 = as fast as it can);
- SECU4ALL_LOAD_SUMMARY: where to write the per-scenario summary (JSON) at the end;
- SECU4ALL_LOAD_RESPONDENTS: stop the run once this many citizens have sent the survey;
- SECU4ALL_LOAD_SMOKE=N: one user of each of the N kinds started; each visits every page of
  its scenario once and stops, and the run ends when all N have (the smoke test).

Each simulated person signs in once through the real login form (with its CSRF token) and
then keeps the session, as people do: sign-in is a password hash and is throttled per account
and network on failures only, so many sessions of one demo account are fine.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from collections import defaultdict
from pathlib import Path

from html_forms import form_posting_to, forms_of
from locust import HttpUser, between, constant, events, task
from locust.exception import StopUser

PLAN = json.loads(Path(os.environ["SECU4ALL_LOAD_PLAN"]).read_text(encoding="utf-8"))
SMOKE = int(os.environ.get("SECU4ALL_LOAD_SMOKE", "0"))
_low, _high = (float(v) for v in os.environ.get("SECU4ALL_LOAD_THINK", "1,3").split(","))
THINK = constant(0) if _high == 0 else between(_low, _high)
ORG = f"/o/{PLAN['organisation']}"

# ---------------------------------------------------------------- per-scenario statistics
_times: dict[str, list[float]] = defaultdict(list)
_failures: dict[str, int] = defaultdict(int)
_errors: dict[str, list[str]] = defaultdict(list)
_ok_pages: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
_clock = {"start": 0.0, "end": 0.0}
# When each scenario's first and last request ended: its rate is over its own active time
# (the saturation run's staff first sign in, which is not their browsing rate).
_window: dict[str, list[float]] = {}
_respondents = {"done": 0, "target": int(os.environ.get("SECU4ALL_LOAD_RESPONDENTS", "0"))}
_addresses = itertools.count()
_toured = itertools.count(1)
_learners = itertools.count()


def _tour_done(user) -> None:
    """In the smoke run a user stops after its tour; the last one ends the run."""
    if next(_toured) >= SMOKE:
        user.environment.runner.quit()
    raise StopUser


@events.test_start.add_listener
def _started(environment, **kwargs) -> None:
    _clock["start"] = time.time()


@events.request.add_listener
def _request(name: str, response_time: float, exception, response=None, **kwargs) -> None:
    # Names are "scenario: page"; the scenario's percentiles are of its own requests.
    scenario, _, page = name.partition(": ")
    _times[scenario].append(response_time)
    now = time.time()
    _window.setdefault(scenario, [now, now])[1] = now
    if exception is not None:
        _failures[scenario] += 1
        if len(_errors[scenario]) < 10:
            _errors[scenario].append(f"{page}: {exception}")
    else:
        _ok_pages[scenario][page] += 1


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


@events.user_error.add_listener
def _user_error(user_instance, exception, tb, **kwargs) -> None:
    # A scenario that breaks (a page without the form it should have) is an error too.
    scenario = getattr(user_instance, "scenario", "unknown")
    _failures[scenario] += 1
    if len(_errors[scenario]) < 10:
        _errors[scenario].append(f"{type(exception).__name__}: {exception}")


@events.test_stop.add_listener
def _stopped(environment, **kwargs) -> None:
    _clock["end"] = time.time()
    target = os.environ.get("SECU4ALL_LOAD_SUMMARY")
    if not target:
        return
    seconds = max(_clock["end"] - _clock["start"], 1e-9)
    summary = {
        "seconds": seconds,
        "respondents_done": _respondents["done"],
        "scenarios": {
            scenario: {
                "requests": len(times),
                "failures": _failures[scenario],
                "errors": _errors[scenario],
                "rps": len(times) / max(_window[scenario][1] - _window[scenario][0], 1e-9),
                "median": _percentile(times, 0.50),
                "p95": _percentile(times, 0.95),
                "p99": _percentile(times, 0.99),
                "pages": dict(_ok_pages[scenario]),
            }
            for scenario, times in _times.items()
        },
    }
    Path(target).write_text(json.dumps(summary, indent=1), encoding="utf-8")


# ---------------------------------------------------------------- helpers
class Person(HttpUser):
    """Someone with an account: signs in once, then browses with think time."""

    abstract = True
    wait_time = THINK
    scenario = "staff"
    username = ""

    def on_start(self) -> None:
        self.sign_in(self.username)
        if SMOKE:
            self.tour()
            _tour_done(self)

    def tour(self) -> None:
        """Every page and write of the scenario once (the smoke test's coverage)."""

    def sign_in(self, username: str) -> None:
        # Signing in is counted apart: once a session, and the password hash (Argon2) is
        # deliberately slow, so it would hide what browsing costs.
        page = self.client.get("/accounts/login/", name="sign-in: form")
        form = form_posting_to(page.text, "")
        form.values.update(username=username, password=PLAN["password"])
        with self.client.post(
            "/accounts/login/",
            data=form.values,
            name="sign-in: sign in",
            catch_response=True,
        ) as response:
            # A refused sign-in shows the form again with 200: only leaving it is success.
            if response.status_code != 200 or "/accounts/login/" in response.url:
                response.failure(f"{username} was not signed in ({response.status_code})")
                raise StopUser

    def get(self, url: str, label: str, **kwargs):
        with self.client.get(
            url, name=f"{self.scenario}: {label}", catch_response=True, **kwargs
        ) as response:
            if response.status_code != 200:
                response.failure(f"{url} answered {response.status_code}")
            return response

    def post(self, url: str, label: str, data: dict, *, landing: str = "", **kwargs):
        """POST and follow the redirect; ``landing`` is a part of the address it must end on
        (a form shown again with its errors answers 200 too)."""
        with self.client.post(
            url, data=data, name=f"{self.scenario}: {label}", catch_response=True, **kwargs
        ) as response:
            if response.status_code != 200:
                response.failure(f"{url} answered {response.status_code}")
            elif landing and not re.search(landing, response.url):
                response.failure(f"{url}: the POST ended on {response.url}, not on {landing}")
            return response


# ---------------------------------------------------------------- staff of the capabilities
class Adviser(Person):
    """Security adviser: sites and assessments, partnerships, neighbourhoods."""

    weight = 4
    fixed_count = 1 if SMOKE else 0
    username = PLAN["staff"]["adviser"]

    def tour(self) -> None:
        for page in (self.sites, self.site, self.assessment_form, self.save_assessment):
            page()
        for page in (self.partnerships, self.partnership, self.shared_items, self.share_item):
            page()
        self.neighbourhoods()

    @task(3)
    def sites(self) -> None:
        self.get(f"{ORG}/sites/", "sites")

    @task(3)
    def site(self) -> None:
        self.get(f"{ORG}/sites/{random.choice(PLAN['sites'])}/", "site")

    @task(2)
    def assessment_form(self) -> None:
        self.get(f"{ORG}/sites/{random.choice(PLAN['sites'])}/assess/", "assessment form")

    @task(1)
    def save_assessment(self) -> None:
        """Answer one question of the vulnerability questionnaire differently and save."""
        url = f"{ORG}/sites/{random.choice(PLAN['sites'])}/assess/"
        form = form_posting_to(self.get(url, "assessment form").text, "")
        questions = [n for n, c in form.choices.items() if n.startswith("answer__") and c]
        question = random.choice(questions)
        form.values[question] = random.choice([c for c in form.choices[question] if c])
        self.post(url, "save assessment", form.values, landing=r"/v\d+/$")

    @task(2)
    def partnerships(self) -> None:
        self.get(f"{ORG}/partnerships/", "partnerships")

    @task(3)
    def partnership(self) -> None:
        self.get(f"{ORG}/partnerships/{random.choice(PLAN['partnerships'])}/", "partnership")

    @task(2)
    def shared_items(self) -> None:
        self.get(f"{ORG}/partnerships/{random.choice(PLAN['partnerships'])}/items/", "items")

    @task(1)
    def share_item(self) -> None:
        """Share a message with the partnership under TLP:GREEN."""
        url = f"{ORG}/partnerships/{random.choice(PLAN['partnerships'])}/items/"
        form = form_posting_to(self.get(url, "items").text, "")
        title = f"Load test note {random.randrange(10**9)}"
        form.values.update(kind="message", title=title, body="Stewards at gate B.", tlp="TLP:GREEN")
        self.post(url, "share item", form.values, landing=r"/items/\d+/$")

    @task(1)
    def neighbourhoods(self) -> None:
        self.get(f"{ORG}/neighbourhoods/", "neighbourhoods")


class Analyst(Person):
    """Analyst: crime overview with the hotspot map, near repeats, perceived safety."""

    weight = 4
    fixed_count = 1 if SMOKE else 0
    username = PLAN["staff"]["analyst"]

    def tour(self) -> None:
        for page in (
            self.organisation,
            self.crime_overview,
            self.hotspot_layer,
            self.near_repeats,
            self.perception,
            self.survey_results,
            self.fear_gap,
        ):
            page()

    @task(1)
    def organisation(self) -> None:
        self.get(f"{ORG}/", "organisation")

    @task(4)
    def crime_overview(self) -> None:
        self.get(f"{ORG}/incidents/", "crime overview and hotspot map")

    @task(1)
    def hotspot_layer(self) -> None:
        self.get(f"{ORG}/incidents/hotspots.geojson", "hotspot layer")

    @task(2)
    def near_repeats(self) -> None:
        self.get(f"{ORG}/incidents/near-repeats/", "near repeats")

    @task(2)
    def perception(self) -> None:
        self.get(f"{ORG}/perception/", "perceived safety")

    @task(2)
    def survey_results(self) -> None:
        self.get(f"{ORG}/perception/waves/{PLAN['wave']['pk']}/", "survey results")

    @task(2)
    def fear_gap(self) -> None:
        self.get(f"{ORG}/perception/waves/{PLAN['wave']['pk']}/fear-gap/", "fear gap")


class Learner(Person):
    """Learner: the course, a lesson, and exercises answered (progress written)."""

    weight = 2
    fixed_count = 1 if SMOKE else 0

    def on_start(self) -> None:
        self.username = PLAN["learners"][next(_learners) % len(PLAN["learners"])]
        super().on_start()

    def tour(self) -> None:
        self.course()
        self.lesson()
        self.exercise()

    @task(2)
    def course(self) -> None:
        self.get(f"{ORG}/training/", "course")

    @task(3)
    def lesson(self) -> None:
        self.get(f"{ORG}/training/lessons/{random.choice(PLAN['lessons'])}/", "lesson")

    @task(2)
    def exercise(self) -> None:
        """Start an attempt at a lesson's exercises and answer a multiple-choice one."""
        url = f"{ORG}/training/lessons/{random.choice(PLAN['lessons'])}/"
        start = form_posting_to(self.get(url, "lesson").text, "/attempts/")
        attempt = self.post(start.action, "start exercises", start.values)
        if attempt.status_code != 200:
            return
        for form in _item_forms(attempt.text):
            radios = [name for name in form.choices if name not in form.values]
            if radios and len(form.choices) == len(radios):
                form.values.update({name: form.choices[name][0] for name in radios})
                self.post(
                    form.action, "answer exercise", form.values, landing=r"/attempts/\d+/(#|$)"
                )
                return


def _item_forms(html: str):
    return [f for f in forms_of(html) if f.method == "post" and "/items/" in f.action]


# ---------------------------------------------------------------- partners
class Partner(Person):
    """A partner organisation's staff reading what the partnerships share with them."""

    fixed_count = 1 if SMOKE else int(os.environ.get("SECU4ALL_LOAD_PARTNERS", "0"))
    scenario = "partners"

    def on_start(self) -> None:
        self.username, organisation = random.choice(list(PLAN["partners"].items()))
        self.base = f"/o/{organisation}/partnerships/"
        self.sign_in(self.username)
        listing = self.get(self.base, "partnerships")
        self.partnerships = sorted(set(re.findall(rf'href="({self.base}\d+/)"', listing.text)))
        if not self.partnerships:
            raise StopUser
        if SMOKE:
            self.tour()
            _tour_done(self)

    def tour(self) -> None:
        self.partnership()
        self.items()

    @task(2)
    def partnership(self) -> None:
        self.get(random.choice(self.partnerships), "partnership")

    @task(3)
    def items(self) -> None:
        listing = self.get(f"{random.choice(self.partnerships)}items/", "items")
        items = re.findall(r'href="(/o/[^"]+/items/\d+/)"', listing.text)
        if items:
            self.get(random.choice(items), "item")


# ---------------------------------------------------------------- an import during the run
class Importer(Person):
    """One analyst uploading an incidents file, then watching it until it is done."""

    fixed_count = 1
    scenario = "import"
    username = PLAN["staff"]["importer"]
    wait_time = constant(2)

    def on_start(self) -> None:
        self.sign_in(self.username)
        url = f"{ORG}/incidents/imports/"
        form = form_posting_to(self.get(url, "imports").text, "")
        form.values["format"] = "csv"
        files = {
            "file": ("load-import.csv", Path(PLAN["import"]["csv"]).read_bytes(), "text/csv"),
            "mapping": ("mapping.json", Path(PLAN["import"]["mapping"]).read_bytes()),
        }
        started = self.post(url, "upload", form.values, files=files)
        match = re.search(r"/imports/(\d+)/", started.url)
        if not match:
            raise StopUser
        self.status_url = f"{url}{match.group(1)}/?format=json"

    @task
    def watch(self) -> None:
        status = self.get(self.status_url, "progress").json().get("status")
        if status in ("done", "failed"):
            if SMOKE:
                _tour_done(self)
            raise StopUser


# ---------------------------------------------------------------- citizens
class Respondent(HttpUser):
    """A citizen answering the public survey once, anonymously, from a home network.

    The platform sees each citizen's address as a reverse proxy reports it (the driver
    trusts 127.0.0.1 as a proxy): every respondent comes from a network of its own, as the
    survey's flood control counts per network.
    """

    fixed_count = 1 if SMOKE else 0
    wait_time = THINK
    scenario = "survey"

    def on_start(self) -> None:
        n = next(_addresses)
        self.client.headers["X-Forwarded-For"] = f"10.{n // 250 % 250}.{n % 250}.{n % 7 + 2}"

    def get(self, url: str, label: str):
        with self.client.get(url, name=f"survey: {label}", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{url} answered {response.status_code}")
            return response

    @task
    def answer(self) -> None:
        token = PLAN["wave"]["token"]
        page = self.get(f"/s/{token}/", "language")
        page = self.get(f"/s/{token}/en/", "start")
        form = form_posting_to(page.text, "")
        for name, choices in form.choices.items():
            form.values[name] = random.choice([c for c in choices if c] or [""])
        self.wait()
        response = self._post(f"/s/{token}/en/", "start", form.values)
        while "/done/" not in response.url:
            if response.status_code != 200:
                raise StopUser
            form = form_posting_to(response.text, "")
            for name, choices in form.choices.items():
                form.values[name] = random.choice(choices)
            self.wait()
            response = self._post(response.url, "page", form.values)
        _respondents["done"] += 1
        if _respondents["target"] and _respondents["done"] >= _respondents["target"]:
            self.environment.runner.quit()
        if SMOKE:
            _tour_done(self)
        raise StopUser

    def _post(self, url: str, label: str, data: dict):
        with self.client.post(
            url, data=data, name=f"survey: {label}", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{url} answered {response.status_code}")
            return response


# /healthz, the trivial view: the ceiling of the stack (gunicorn, WSGI, middleware).
class Health(HttpUser):
    wait_time = constant(0)
    scenario = "ceiling"

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="ceiling: /healthz")
