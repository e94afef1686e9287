"""SEC-4: a councillor or an anonymous visitor never receives an exact
location, a street, intelligence or a board paper, on any page they can
reach, including error pages."""

from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from tests import scene as scenes
from tests.scene import RESTRICTED_MARKS
from tests.test_access_matrix import MATRIX


def leaks(body: str) -> list[str]:
    return [mark for mark in RESTRICTED_MARKS if mark in body]


def _links(html: str) -> list[str]:
    return [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a", href=True)]


@pytest.mark.parametrize("viewer", ["councillor", "anonymous"])
def test_no_restricted_text_reaches_the_public(app, client, login_as, viewer):
    world = scenes.build()
    if viewer != "anonymous":
        login_as(user=world.users[viewer])
    found = {}
    # Every route, each method, with the scene's ids; then error pages.
    requests = [(method, url.format(**world.ids), form) for _e, method, url, form, _x in MATRIX]
    requests += [("GET", "/requests/999999", None), ("GET", "/no-such-page", None)]
    for method, path, form in requests:
        if path == "/sign-out":
            continue  # would end the session this test walks with
        response = client.open(path, method=method, data=form)
        body = response.get_data(as_text=True)
        response.close()
        if leaks(body):
            found[f"{method} {path}"] = leaks(body)
    # Then every page reachable by following links from the home page.
    seen, queue = set(), ["/"]
    while queue and len(seen) < 200:
        path = queue.pop()
        if path in seen or path.startswith("/static/"):
            continue
        seen.add(path)
        response = client.get(path)
        body = response.get_data(as_text=True)
        if leaks(body):
            found[f"GET {path}"] = leaks(body)
        if response.status_code == 302:
            queue.append(urlparse(response.headers["Location"]).path)
        if response.status_code == 200 and response.mimetype == "text/html":
            for href in _links(body):
                target = urlparse(urljoin("http://localhost" + path, href))
                if target.netloc == "localhost" and target.path not in seen:
                    queue.append(target.path)
    assert found == {}
    assert len(seen) >= 3  # the walk reached pages beyond the first


def test_the_camera_list_gives_a_councillor_the_ward_only(app, client, login_as):
    world = scenes.build()
    login_as(user=world.users["councillor"])
    body = client.get("/cameras").get_data(as_text=True)
    assert "South Oxhey" in body
    assert leaks(body) == []
    login_as(user=world.users["coordinator"])
    body = client.get("/cameras").get_data(as_text=True)
    assert "EXACTSECRET" in body and "STREETSECRET" in body


def test_an_officer_sees_street_but_not_exact_location_of_others_requests(app, client, login_as):
    world = scenes.build()
    login_as(user=world.users["officer"])
    body = client.get("/cameras").get_data(as_text=True)
    assert "STREETSECRET" in body and "EXACTSECRET" not in body
    # The requester sees the exact location of their own request.
    own = client.get(f"/requests/{world.ids['submitted']}").get_data(as_text=True)
    assert "EXACTSECRET" in own and "INTELSECRET" in own


def test_a_councillor_is_not_told_which_camera_is_in_which_ward(app, client, login_as):
    world = scenes.build()
    login_as(user=world.users["councillor"])
    listing = BeautifulSoup(client.get("/cameras").get_data(as_text=True), "html.parser")
    assert [li.get_text() for li in listing.select("ul.govuk-list li")] == ["South Oxhey"]
    assert "South Oxhey" not in listing.select_one("table").get_text()
    detail = client.get(f"/cameras/{world.ids['camera']}").get_data(as_text=True)
    assert "South Oxhey" not in detail
