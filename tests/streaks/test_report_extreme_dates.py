"""Issue 19 (pages and faults), found from outside: a report's "to" in the first
29 days of year 1 with no "from" was a 500 (OverflowError in ReportForm.clean,
`last - timedelta(days=DEFAULT_DAYS - 1)`), on the page and on the share form."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("to", ["0001-01-01", "0001-01-29"])
def test_a_report_ending_in_year_1_is_not_a_500(alice_client, to):
    response = alice_client.get("/streaks/report/", {"to": to})
    assert response.status_code == 200


def test_sharing_a_report_ending_in_year_1_is_not_a_500(alice_client):
    response = alice_client.post(
        "/streaks/report/share/", {"from": "", "to": "0001-01-01", "days": "7"}
    )
    assert response.status_code in (200, 302)


def test_a_report_ending_before_2000_says_so(alice_client):
    response = alice_client.get("/streaks/report/", {"to": "0001-01-01"})
    assert "Pick a last day from 2000 on." in response.content.decode()


def test_a_report_ending_early_in_2000_starts_on_1_january_2000(alice_client):
    response = alice_client.get("/streaks/report/", {"to": "2000-01-10"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pick a" not in page
    assert "1 January 2000 to 10 January 2000 (10 days)" in page
