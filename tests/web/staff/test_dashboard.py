"""The CEC dashboard: who may see it, the progress by region and day, the polled fragment."""

from __future__ import annotations

from fastapi.testclient import TestClient
from staff_scenario import PASSWORD, Meeting, sign_in


def test_the_dashboard_shows_progress_by_region_and_day(
    staff_client: TestClient, meeting: Meeting
) -> None:
    sign_in(staff_client, "admin")
    page = staff_client.get("/dashboard?lang=en")
    assert page.status_code == 200
    assert "West Kazakhstan Region" in page.text
    assert 'hx-get="/dashboard/progress"' in page.text and 'hx-trigger="every 5s"' in page.text
    fragment = staff_client.get("/dashboard/progress?lang=en")
    assert fragment.text.lstrip().startswith('<div id="progress"')
    data = staff_client.get("/api/v1/staff/dashboard").json()
    assert data["total"]["scheduled"] == 3 and data["total"]["open"] == 3
    assert data["regions"][0]["region"]["kato"] == "270000000"
    assert data["days"] == [meeting.day.isoformat()]


def test_a_regional_user_sees_its_region_only(staff_client: TestClient, meeting: Meeting) -> None:
    data = staff_client.get("/api/v1/staff/dashboard", auth=("other-regional", PASSWORD)).json()
    assert data["total"]["scheduled"] == 0 and data["regions"] == []
    data = staff_client.get("/api/v1/staff/dashboard", auth=("regional", PASSWORD)).json()
    assert data["total"]["scheduled"] == 3


def test_commission_users_have_no_dashboard(staff_client: TestClient, meeting: Meeting) -> None:
    sign_in(staff_client, "secretary")
    assert staff_client.get("/dashboard").status_code == 403
    assert staff_client.get("/api/v1/staff/dashboard").status_code == 403
