"""What one Footcare user does, for bench/load.py (run it with `make load`).

Each virtual user is a seeded account (history from 30 days to 10 years) signed
in by a session cookie that load.py made, talking to one of the app servers in
FOOTCARE_LOAD_HOSTS (users are spread over them in turn). The mix: open the
dashboard, log a session from its form (with the CSRF token), open statistics,
page the sessions list, now and then edit a session or mark a rest day.
"""

import datetime as dt
import itertools
import json
import os
import random
import re
from html.parser import HTMLParser

from locust import HttpUser, between, events, task

HOSTS = os.environ["FOOTCARE_LOAD_HOSTS"].split(",")
with open(os.environ["FOOTCARE_LOAD_USERS"]) as f:
    ACCOUNTS = json.load(f)
_next_account = itertools.count()
LOGGED = []  # submission tokens of sessions the app confirmed (302)

EDIT = re.compile(r'href="/sessions/(\d+)/edit/"')
PAGES = re.compile(r"Page \d+ of (\d+)")
FIELD_ERROR = re.compile(r'class="invalid-feedback"[^>]*>\s*(?:<strong>)?([^<]+)')


def failure_reason(response):
    found = FIELD_ERROR.search(response.text or "")
    reason = f": {found.group(1).strip()}" if found else ""
    return f"expected a redirect, got {response.status_code}{reason}"


class Inputs(HTMLParser):
    """Every <input> of a page: its attributes, in order."""

    def __init__(self, html):
        super().__init__()
        self.inputs = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))

    def value(self, name):
        return next(
            (i.get("value") for i in self.inputs if i.get("name") == name), None
        )

    def values(self, name, checked_only=False):
        return [
            i.get("value")
            for i in self.inputs
            if i.get("name") == name and (not checked_only or "checked" in i)
        ]


class Footcarer(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self):
        n = next(_next_account)
        account = ACCOUNTS[n % len(ACCOUNTS)]
        self.host = HOSTS[n % len(HOSTS)]
        self.client.base_url = self.host
        self.client.cookies.set("sessionid", account["sessionid"])
        self.pages = 1
        self.session_ids = []

    @task(5)
    def dashboard(self):
        self.client.get("/", name="dashboard /")

    @task(2)
    def log_session(self):
        form = Inputs(self.client.get("/", name="dashboard /").text)
        csrf, token = form.value("csrfmiddlewaretoken"), form.value("token")
        techniques = form.values("techniques")
        if not (csrf and token and techniques):
            return
        today = dt.datetime.now(dt.UTC).date()
        with self.client.post(
            "/sessions/new/",
            name="log a session POST /sessions/new/",
            data={
                "csrfmiddlewaretoken": csrf,
                "token": token,
                # Yesterday at noon: valid in every zone the accounts live in.
                "date": (today - dt.timedelta(days=1)).isoformat(),
                "start_time": "12:00",
                "duration_minutes": random.randint(5, 20),
                "techniques": random.sample(techniques, 2),
                "comfort": random.randint(1, 5),
                "pressure": "",
                "notes": "load test",
            },
            headers={"Referer": self.host + "/"},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                LOGGED.append(token)
                response.success()
            else:
                response.failure(failure_reason(response))

    @task(2)
    def statistics(self):
        self.client.get("/streaks/", name="statistics /streaks/")

    @task(2)
    def sessions_list(self):
        page = random.randint(1, self.pages)
        html = self.client.get(
            f"/sessions/?page={page}", name="sessions list /sessions/?page=N"
        ).text
        found = PAGES.search(html)
        if found:
            self.pages = int(found.group(1))
        self.session_ids = EDIT.findall(html) or self.session_ids

    @task(1)
    def edit_session(self):
        if not self.session_ids:
            return
        pk = random.choice(self.session_ids)
        url = f"/sessions/{pk}/edit/"
        form = Inputs(self.client.get(url, name="edit form /sessions/N/edit/").text)
        fields = {name: form.value(name) for name in ("date", "start_time", "token")}
        fields["comfort"] = next(iter(form.values("comfort", checked_only=True)), None)
        if not all(fields.values()):
            return
        with self.client.post(
            url,
            name="edit a session POST /sessions/N/edit/",
            data={
                "csrfmiddlewaretoken": form.value("csrfmiddlewaretoken"),
                **fields,
                "techniques": form.values("techniques", checked_only=True),
                "duration_minutes": random.randint(5, 20),
                "pressure": "",
                "notes": "load test, edited",
            },
            headers={"Referer": self.host + url},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                response.success()
            else:
                response.failure(failure_reason(response))

    @task(1)
    def rest_day(self):
        page = Inputs(self.client.get("/sessions/rest-days/", name="rest days").text)
        csrf = page.value("csrfmiddlewaretoken")
        if not csrf:
            return
        day = dt.date(2001, 1, 1) + dt.timedelta(days=random.randint(0, 700))
        with self.client.post(
            "/sessions/rest-days/",
            name="mark a rest day POST",
            data={"csrfmiddlewaretoken": csrf, "date": day.isoformat(), "reason": ""},
            headers={"Referer": self.host + "/sessions/rest-days/"},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # 302: marked; 200: the form says that day is a rest day already.
            if response.status_code in (200, 302):
                response.success()
            else:
                response.failure(f"got {response.status_code}")


@events.quitting.add_listener
def _report_logged(environment, **kwargs):
    path = os.environ.get("FOOTCARE_LOAD_LOGGED")
    if path:
        with open(path, "w") as f:
            json.dump(LOGGED, f)
