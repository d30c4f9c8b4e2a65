"""The load test's users (run by benchmarks/load.py through Locust; not a benchmark by itself).

Each user is a caseworker going through their day: the caseload, its next page, a filter, a
search by name, a case and its deadlines, and the same through the API. The signed-in sessions,
API tokens and case ids come from load.py in LOAD_TEST_FIXTURE (a JSON file).
"""

import itertools
import json
import os
import random

from locust import HttpUser, between, task

with open(os.environ["LOAD_TEST_FIXTURE"]) as fixture:
    FIXTURE = json.load(fixture)

_next_login = itertools.count()


class Caseworker(HttpUser):
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        login = FIXTURE["logins"][next(_next_login) % len(FIXTURE["logins"])]
        # The session cookie as a header: production cookies are Secure and this is plain HTTP
        # on the loopback, behind no proxy (X-Forwarded-Proto says what a proxy would).
        self.page_headers = {
            "Cookie": f"sessionid={login['session']}",
            "X-Forwarded-Proto": "https",
        }
        self.api_headers = {
            "Authorization": f"Token {login['token']}",
            "X-Forwarded-Proto": "https",
        }
        self.children = login["children"]

    def page(self, path: str, name: str) -> None:
        with self.client.get(
            path, headers=self.page_headers, name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")

    def api(self, path: str, name: str) -> None:
        with self.client.get(
            path, headers=self.api_headers, name=name, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")

    @task(4)
    def caseload(self) -> None:
        self.page("/cases/", "page: my caseload")

    @task(1)
    def caseload_next_page(self) -> None:
        self.page("/cases/?page=2", "page: my caseload, page 2")

    @task(1)
    def caseload_overdue(self) -> None:
        self.page("/cases/?deadline_status=overdue", "page: my caseload, overdue")

    @task(1)
    def search(self) -> None:
        self.page(f"/cases/?q=family{random.randint(1, 996)}", "page: search by name")

    @task(3)
    def case(self) -> None:
        child = random.choice(self.children)
        self.page(f"/cases/{child}/", "page: a case")

    @task(2)
    def case_deadlines(self) -> None:
        child = random.choice(self.children)
        self.page(f"/cases/{child}/deadlines/", "page: a case's deadlines")

    @task(2)
    def api_children(self) -> None:
        self.api("/api/v1/children/", "api: children")

    @task(2)
    def api_child(self) -> None:
        child = random.choice(self.children)
        self.api(f"/api/v1/children/{child}/", "api: a child")

    @task(1)
    def api_requests(self) -> None:
        self.api("/api/v1/assessment-requests/", "api: assessment requests")
