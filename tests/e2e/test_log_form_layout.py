"""The log form is used on a phone with a thumb: every control is at least
44x44 CSS pixels (WCAG 2.5.5), on the dashboard and on /sessions/new/."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MIN_TARGET = 44
CONTROLS = {
    "comfort button": "fieldset:has([name=comfort]) label.btn",
    "pressure button": "fieldset:has([name=pressure]) label.btn",
    "technique label": "[name=techniques] + label",
    "save button": "button[type=submit].btn-lg",
    "more details": "summary.more-details-summary",
    "date input": "input[name=date]",
    "time input": "input[name=start_time]",
    "duration input": "input[name=duration_minutes]",
}


def small_targets(page):
    form = page.locator("form.log-form")
    small = []
    for name, selector in CONTROLS.items():
        targets = form.locator(selector)
        assert targets.count(), f"no {name} on {page.url}"
        for target in targets.all():
            target.scroll_into_view_if_needed()
            box = target.bounding_box()
            if box["width"] < MIN_TARGET or box["height"] < MIN_TARGET:
                text = target.text_content().strip() or target.get_attribute("name")
                small.append(f"{name} {text!r}: {box['width']:.0f}x{box['height']:.0f}")
    return small


@pytest.mark.parametrize("path", ["/", "/sessions/new/"])
def test_log_form_controls_are_big_enough_to_tap(signed_in_page, path):
    signed_in_page.goto(path)
    details = signed_in_page.locator("details.more-details:not([open]) > summary")
    if details.count():  # the dashboard folds all but Comfort and Save
        details.click()
    small = small_targets(signed_in_page)
    assert not small, "Smaller than 44x44 px:\n" + "\n".join(small)
