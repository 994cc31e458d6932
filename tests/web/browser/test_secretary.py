"""A secretary runs Uralsk's meeting of electors in a browser, from the roll to signature, with
a repeat voting and a lot; the chair publishes; the public site then shows the result in
Kazakh, Russian and English. axe-core finds no serious or critical violation on the login
page, the protocol form, the dashboard and the public summary."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from axe import serious_violations
from staff_scenario import PASSWORD

from conftest import Site
from saylau.i18n import gettext_for

DERKUL, ZACHAGANSK, KRUGLOOZERNY = "271033000", "271035000", "271037000"
SEED = "20130809000000000000000042"


def _sign_in(page: Any, site: Site, name: str) -> None:
    page.goto(f"{site.url}/login?lang=en")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/staff$"))


def _count(
    page: Any,
    site: Site,
    kato: str,
    round_no: int,
    votes: dict[str, int],
    shots: Path,
    **extra: int,
) -> None:
    """Enter a round's count: the sitting's numbers are filled in; the rest is typed."""
    contest = site.meeting.contests[kato]
    page.goto(f"{site.url}/staff/contests/{contest}")
    page.get_by_role("link", name=f"Enter the count of round {round_no}").click()
    assert page.get_by_label("Deputies present").input_value() == "17"
    assert page.get_by_label("Ballots issued to deputies").input_value() == "17"
    page.get_by_label("Ballots received by the commission").fill("19")
    page.get_by_label("Unused ballots").fill("2")
    page.get_by_label("Ballots found in the box").fill("17")
    for field, value in extra.items():
        page.locator(f"#f-{field}").fill(str(value))
    names = list(votes)
    for name in names[:-1]:
        page.get_by_label(name, exact=True).fill(str(votes[name]))
    # One vote short first: the live check names the relation and its numbers.
    last = names[-1]
    page.get_by_label(last, exact=True).fill(str(votes[last] - 1))
    page.locator("#checks").get_by_text("ballots cast 17").wait_for()
    page.screenshot(path=shots / f"protocol-{kato}-{round_no}-check.png", full_page=True)
    page.get_by_label(last, exact=True).fill(str(votes[last]))
    page.locator("#checks").get_by_text("Every control relation holds.").wait_for()
    page.get_by_role("button", name="Submit the protocol").click()
    page.wait_for_url(re.compile(rf"/staff/contests/{contest}"))


def test_a_secretary_runs_the_meeting_and_the_chair_publishes(
    site: Site, browser: Any, shots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    _sign_in(page, site, "secretary")
    page.screenshot(path=shots / "workspace.png", full_page=True)
    page.get_by_role("link", name=re.compile("Scheduled")).first.click()
    for absent in ("Deputy 18", "Deputy 19"):
        page.get_by_label(absent).uncheck()
    page.locator("#quorum").get_by_text("17 of 19 deputies present").wait_for()
    assert "Quorum met: at least 10 needed." in page.locator("#quorum").inner_text()
    page.screenshot(path=shots / "roll.png", full_page=True)
    page.get_by_role("button", name="Save the roll and open the meeting").click()
    page.locator("#sitting-status").get_by_text("Open").wait_for()

    _count(page, site, DERKUL, 1, {"Candidate 1": 12, "Candidate 2": 4, "Candidate 3": 1}, shots)
    _count(
        page,
        site,
        ZACHAGANSK,
        1,
        {"Candidate 4": 10, "Candidate 5": 5, "Candidate 6": 1},
        shots,
        invalid=1,
    )
    _count(
        page, site, KRUGLOOZERNY, 1, {"Candidate 7": 7, "Candidate 8": 6, "Candidate 9": 4}, shots
    )
    assert (
        "Repeat voting between Candidate 7, Candidate 8" in page.locator("#decision-1").inner_text()
    )
    _count(page, site, KRUGLOOZERNY, 2, {"Candidate 7": 8, "Candidate 8": 8}, shots, blank=1)
    assert "Lots must be drawn" in page.locator("#decision-2").inner_text()
    page.screenshot(path=shots / "lot-required.png", full_page=True)
    page.get_by_label("Public seed (20 to 100 digits) for a verifiable draw").fill(SEED)
    page.get_by_role("button", name="Draw lots").click()
    page.locator("#decision-2").get_by_text("by lot").wait_for()

    for kato in (DERKUL, ZACHAGANSK, KRUGLOOZERNY):
        page.goto(f"{site.url}/staff/contests/{site.meeting.contests[kato]}")
        while (button := page.get_by_role("button", name=re.compile("^Sign protocol"))).count():
            button.first.click()
            page.wait_for_load_state()
    page.screenshot(path=shots / "signed.png", full_page=True)
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, site, "chair")
    for kato in (DERKUL, ZACHAGANSK, KRUGLOOZERNY):
        page.goto(f"{site.url}/staff/contests/{site.meeting.contests[kato]}")
        while (button := page.get_by_role("button", name=re.compile("^Publish protocol"))).count():
            button.first.click()
            page.wait_for_load_state()
        assert page.locator("#contest-status").inner_text().startswith("Elected")
    page.screenshot(path=shots / "published.png", full_page=True)
    page.get_by_role("button", name="Sign out").click()

    # The public site, signed out, in the three languages: each published contest's page
    # (web/public_contests.py) names its elected akim and marks the winner "elected".
    winners = {DERKUL: ("Candidate 1",), ZACHAGANSK: ("Candidate 4",)}
    winners[KRUGLOOZERNY] = ("Candidate 7", "Candidate 8")  # by lot from SEED
    for lang in ("kk", "ru", "en"):
        _ = gettext_for(lang)
        for kato, names in winners.items():
            page.goto(f"{site.url}/contests/{site.meeting.contests[kato]}?lang={lang}")
            assert page.locator("html").get_attribute("lang") == lang
            facts = page.locator("dl.facts")
            heading = facts.locator("dt", has_text=_("Elected akim"))
            winner = heading.locator("xpath=following-sibling::dd[1]").inner_text()
            assert winner in names, (lang, kato, winner)
            row = page.locator("tr", has=page.locator("th", has_text=winner)).first
            assert f"({_('elected')})" in row.inner_text(), (lang, kato)
        page.screenshot(path=shots / f"public-{lang}.png", full_page=True)


def test_no_serious_accessibility_violation_on_the_staff_pages(
    site: Site, browser: Any, shots: Path
) -> None:
    page = browser.new_page()
    found: dict[str, list[str]] = {}
    for lang in ("kk", "en"):
        page.goto(f"{site.url}/login?lang={lang}")
        found[f"login {lang}"] = serious_violations(page)
        page.goto(f"{site.url}/?lang={lang}")
        found[f"summary {lang}"] = serious_violations(page)
    _sign_in(page, site, "secretary")
    sitting = f"{site.url}/staff/sittings/{site.meeting.sitting_id}"
    page.goto(sitting)
    found["roll"] = serious_violations(page)
    page.get_by_role("button", name="Save the roll and open the meeting").click()
    page.locator("#sitting-status").get_by_text("Open").wait_for()
    found["open roll"] = serious_violations(page)  # arrive/leave, adjourn and close
    contest = site.meeting.contests[KRUGLOOZERNY]
    page.goto(f"{site.url}/staff/contests/{contest}/rounds/1/protocol")
    page.get_by_label("Ballots found in the box").fill("18")
    page.locator("#checks li").first.wait_for()
    found["protocol form"] = serious_violations(page)
    page.screenshot(path=shots / "protocol-form.png", full_page=True)
    page.goto(f"{site.url}/staff/contests/{contest}")
    found["contest"] = serious_violations(page)
    # On a phone's width, in Kazakh (the longest labels), nothing runs off the screen.
    page.set_viewport_size({"width": 375, "height": 800})
    for url in (
        f"/staff/contests/{contest}/rounds/1/protocol?lang=kk",
        f"/staff/contests/{contest}",
    ):
        page.goto(site.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
    page.screenshot(path=shots / "contest-phone-kk.png", full_page=True)
    page.goto(f"{site.url}/staff/contests/{contest}/rounds/1/protocol?lang=kk")
    page.screenshot(path=shots / "protocol-phone-kk.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{site.url}/staff?lang=en")
    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, site, "admin")
    page.goto(f"{site.url}/dashboard?lang=ru")
    found["dashboard"] = serious_violations(page)
    page.screenshot(path=shots / "dashboard.png", full_page=True)
    assert {k: v for k, v in found.items() if v} == {}
