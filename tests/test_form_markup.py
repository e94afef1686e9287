"""Forms that screen readers announce consistently (QUALITY.md A11Y-1):
``required`` only where HTML allows it, placeholder options with an empty
value, "(optional)" on the questions that may be left blank and on no
other, and a page title of its own for every page."""

import pytest
from bs4 import BeautifulSoup

from tests import factories
from tests import scene as scenes
from tests.test_access_matrix import MATRIX

SINGLE_CONTROLS = {"input", "select", "textarea"}

# The pages with forms, and who opens them, beyond the matrix's own rows.
FORM_PAGES = [
    ("officer", "/requests/new"),
    *[
        ("officer", "/requests/{draft}/tasks/" + section)
        for section in ("problem", "site", "evidence", "alternatives", "period", "urgency", "privacy", "cost")
    ],
    ("sponsor", "/requests/{submitted}/return-for-changes"),
    ("sponsor", "/requests/{submitted}/decline"),
    ("officer", "/requests/{submitted}/withdraw"),
    ("coordinator", "/requests/{approved}/schedule-installation"),
    ("coordinator", "/requests/{approved}/cancel"),
    ("coordinator", "/requests/{approved}/survey"),
    ("coordinator", "/requests/{submitted}/sponsor"),
    ("coordinator", "/cameras/new"),
    ("coordinator", "/cameras/{camera}/edit"),
    ("coordinator", "/sites/{site}/correct"),
]


def _pages(client, login_as, world):
    """(role, path, parsed page) for every page of ``FORM_PAGES`` and every
    GET route of the access matrix, opened by each role allowed to."""
    wanted = list(FORM_PAGES)
    for _endpoint, method, url, _form, expected in MATRIX:
        if method == "GET":
            wanted += [(role, url) for role, code in expected.items() if code == 200 and role in world.users]
    for role, url in dict.fromkeys(wanted):
        login_as(user=world.users[role])
        response = client.get(url.format(**world.ids))
        html = response.mimetype == "text/html"
        body = response.get_data(as_text=html)
        response.close()
        if response.status_code == 200 and html:
            yield role, url, BeautifulSoup(body, "html.parser")


def test_required_is_only_on_single_controls_and_placeholders_are_empty(app, client, login_as):
    world = scenes.build()
    problems, forms_seen = [], 0
    for role, url, html in _pages(client, login_as, world):
        forms_seen += bool(html.select("main form"))
        for element in html.select("[required]"):
            if element.name not in SINGLE_CONTROLS:
                problems.append(f"{role} {url}: required on <{element.name} id={element.get('id')}>")
            if element.name == "select":
                first = element.find("option")
                if first is None or first.get("value") != "":
                    problems.append(
                        f"{role} {url}: required select {element.get('id')} without an empty placeholder"
                    )
        for label in html.select("label, legend"):
            if "(optional)" not in label.get_text():
                continue
            target = html.find(id=label.get("for")) if label.get("for") else None
            if target is not None and target.has_attr("required"):
                problems.append(f"{role} {url}: {label.get_text(strip=True)!r} is optional and required")
    assert problems == []
    assert forms_seen >= len(FORM_PAGES)


# The request form's questions that may be left blank (DESIGN.md section 4:
# everything else is needed before the request is sent), by section.
OPTIONAL = {
    "site": [
        "Map point (optional)",
        "What the camera needs to see (optional)",
        "Power and consents (optional)",
    ],
    "period": ["Camera preference (optional)"],
    "privacy": ["Private areas that need masking (optional)"],
}
REQUIRED = {
    "problem": ["Short title", "What is happening", "Purpose of the camera", "Why is the need pressing",
                "CSP priority it serves"],
    "site": ["Ward", "Street name", "Exact location"],
    "evidence": ["Number of crimes in the baseline period", "Number of ASB incidents in the baseline period",
                 "Start of the baseline period", "End of the baseline period", "Intelligence sources",
                 "Summary of the intelligence"],
    "alternatives": ["Alternatives tried or considered"],
    "period": ["Wanted start date", "Duration in weeks"],
    "privacy": ["DPIA or location annex reference", "Signage plan"],
    "cost": ["Estimated cost of the move", "Sponsor you have approached"],
}  # fmt: skip


@pytest.mark.parametrize("section", sorted(set(OPTIONAL) | set(REQUIRED)))
def test_optional_questions_say_so_and_required_ones_do_not(app, client, login_as, section):
    officer = login_as("officer")
    factories.priority()
    draft = factories.move_request(requester=officer)
    html = BeautifulSoup(
        client.get(f"/requests/{draft.id}/tasks/{section}").get_data(as_text=True), "html.parser"
    )
    questions = [" ".join(q.get_text().split()) for q in html.select("main form label, main form legend")]
    marked = [q for q in questions if q.endswith("(optional)")]
    assert marked == OPTIONAL.get(section, [])
    for question in REQUIRED.get(section, []):
        assert question in questions, (question, questions)


def test_every_page_has_a_title_of_its_own(app, client, login_as):
    """Two different pages a user opens never share a title, so a screen
    reader user, and anyone with several tabs open, knows where they are."""
    world = scenes.build()
    titles: dict[tuple[str, str], str] = {}
    for role, url, html in _pages(client, login_as, world):
        titles[(role, url)] = html.title.get_text(strip=True)
    by_title: dict[str, list] = {}
    for (role, url), title in titles.items():
        by_title.setdefault((role, title), []).append(url)
    shared = {key: urls for key, urls in by_title.items() if len(set(urls)) > 1}
    assert shared == {}
    assert len(titles) > 30
