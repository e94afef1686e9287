"""SEC-4: a councillor or an anonymous visitor never receives an exact
location, a street, intelligence or a board paper, on any page they can
reach, including error pages, the PDFs (searched on their text) and the CSV
downloads; and, where the district publishes to the public, an anonymous
visitor reads only the published guide and annual report."""

import csv
import dataclasses
import io
from datetime import date
from decimal import Decimal
from urllib.parse import urljoin, urlparse

import pypdf
import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from cctv_requests import audit
from cctv_requests.extensions import db
from cctv_requests.models import Camera, MoveRequest
from tests import factories
from tests import scene as scenes
from tests.scene import RESTRICTED_MARKS, STREET_MARK
from tests.test_access_matrix import MATRIX, YEAR

# What a district that publishes opens to anonymous visitors: the guide, the
# responsibilities page and the annual report (the ``published`` policy).
LINKED_PAGES = ("/guide", "/guide.pdf", "/responsibilities", "/reports", f"/reports/{YEAR}")
PUBLISHED_PAGES = (*LINKED_PAGES, f"/reports/{YEAR}.pdf", f"/reports/{YEAR}.csv")
# The report's downloads as its published version links to them.
PUBLISHED_DOWNLOADS = (f"/reports/{YEAR}.pdf?version=published", f"/reports/{YEAR}.csv?version=published")
# A year long before the service: not a report (404).
NO_REPORT = YEAR - 30

# The request closed with its evaluation this year: the full report names it,
# the published one must not.
EVALUATED = "CCTV-EVAL-0001"
# What its camera move cost: the published report gives costs in full.
SPENT = Decimal("1234.00")


def leaks(body: str) -> list[str]:
    return [mark for mark in RESTRICTED_MARKS if mark in body]


def readable(response) -> str:
    """What the visitor can read in a response: a PDF's text (and its bytes,
    for anything left uncompressed), anything else as text."""
    data = response.get_data()
    response.close()
    if response.mimetype == "application/pdf":
        reader = pypdf.PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages) + data.decode("latin-1")
    return data.decode("utf-8", errors="replace")


def pdf_text(response) -> str:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.get_data()))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def csv_rows(response) -> list[tuple[str, ...]]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return [tuple(row) for row in csv.reader(io.StringIO(response.get_data(as_text=True)))]


def _links(html: str) -> list[str]:
    return [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a", href=True)]


def _local(base: str, href: str) -> str | None:
    """The path and query of a link on this site, or None for one elsewhere."""
    target = urlparse(urljoin("http://localhost" + base, href))
    if target.netloc != "localhost":
        return None
    return target.path + (f"?{target.query}" if target.query else "")


def this_years_activity() -> None:
    """Steps this financial year for the scene's requests, written to the
    audit log as the engine writes them, so that the annual report has
    figures: five requests received in South Oxhey, four endorsed, two
    approved and one rejected. One approved request was carried through to
    its evaluation: its camera went up at a restricted site on the first day
    of the year and came down today, the move cost £1,234.00, and its
    evaluation notes are intelligence. Every request of the scene carries the
    restricted strings (the street, exact place, view and map point of its
    site, and its intelligence), so a report or guide that named a request
    or its site would leak them."""
    today = date.today()
    first_day = date(YEAR, 4, 1)
    requests = {
        status: db.session.scalar(sa.select(MoveRequest).where(MoveRequest.status == status))
        for status in ("submitted", "on_agenda", "rejected", "approved")
    }
    evaluated = factories.move_request(
        requester=requests["approved"].requester,
        sponsor=requests["approved"].sponsor,
        status="closed",
        site_obj=factories.site(factories.ward("South Oxhey"), street=STREET_MARK),
        reference=EVALUATED,
        installed_on=first_day,
        removed_on=today,
        actual_cost=SPENT,
        incidents_before=30,
        incidents_during=12,
        incidents_after=20,
        evaluation_notes=factories.INTEL_MARK,
    )
    factories.deployment(
        factories.camera(),
        evaluated.site,
        installed_on=first_day,
        removed_on=today,
        move_request_id=evaluated.id,
    )
    sent = [("submit", "draft", "submitted")]
    to_board = [*sent, ("endorse", "submitted", "endorsed"), ("place_on_agenda", "endorsed", "on_agenda")]
    steps = {
        requests["submitted"]: sent,
        requests["on_agenda"]: to_board,
        requests["rejected"]: [*to_board, ("reject", "on_agenda", "rejected")],
        requests["approved"]: [*to_board, ("approve", "on_agenda", "approved")],
        evaluated: [
            *to_board,
            ("approve", "on_agenda", "approved"),
            ("record_evaluation", "ended", "closed"),
        ],
    }
    for mr, taken in steps.items():
        for trigger, source, dest in taken:
            audit.record(
                f"request.{trigger}",
                object_type="move_request",
                object_id=mr.id,
                source=source,
                dest=dest,
                reason=None,
            )
    db.session.commit()


def publish(app) -> None:
    app.config["PUBLICATION"] = dataclasses.replace(app.config["PUBLICATION"], public=True)


@pytest.mark.parametrize(
    "viewer,published",
    [
        pytest.param("councillor", False, id="councillor"),
        pytest.param("anonymous", False, id="anonymous"),
        pytest.param("anonymous", True, id="anonymous-where-published"),
    ],
)
def test_no_restricted_text_reaches_the_public(app, client, login_as, viewer, published):
    world = scenes.build()
    this_years_activity()
    if published:
        publish(app)
    if viewer != "anonymous":
        login_as(user=world.users[viewer])
    found = {}
    # Every route, each method, with the scene's ids; then error pages.
    requests = [(method, url.format(**world.ids), form) for _e, method, url, form, _x in MATRIX]
    requests += [("GET", "/requests/999999", None), ("GET", "/no-such-page", None)]
    requests += [("GET", f"/reports/{NO_REPORT}{ext}", None) for ext in ("", ".pdf", ".csv")]
    for method, path, form in requests:
        if path == "/sign-out":
            continue  # would end the session this test walks with
        text = readable(client.open(path, method=method, data=form))
        if leaks(text):
            found[f"{method} {path}"] = leaks(text)
    # Then every page and download reachable by following links: from the
    # home page, and for a visitor who is not signed in, from the published
    # pages too (the home page sends them to sign in).
    answers: dict[str, int] = {}
    queue = ["/"] if viewer != "anonymous" else [*reversed(PUBLISHED_PAGES), "/"]
    while queue and len(answers) < 200:
        path = queue.pop()
        if path in answers or path.startswith("/static/"):
            continue
        response = client.get(path)
        answers[path] = response.status_code
        text = readable(response)
        if leaks(text):
            found[f"GET {path}"] = leaks(text)
        hrefs = []
        if response.status_code == 302:
            hrefs = [response.headers["Location"]]
        if response.status_code == 200 and response.mimetype == "text/html":
            hrefs = _links(text)
        for href in hrefs:
            target = _local(path, href)
            if target is not None and target not in answers:
                queue.append(target)
    print(f"pages and downloads read by {viewer} (published: {published}): {sorted(answers)}")
    assert found == {}
    reached = {path for path, code in answers.items() if code == 200}
    if viewer == "councillor" or published:
        # The guide (and its PDF), the responsibilities page and the report
        # were reached by links, and the report's downloads as it links them.
        assert set(LINKED_PAGES) | set(PUBLISHED_DOWNLOADS) <= reached, sorted(answers)
    else:
        assert {answers[path] for path in PUBLISHED_PAGES} == {302}
    assert len(answers) >= 3  # the walk reached pages beyond the first


def _cell(soup, caption: str, row: str) -> list[str]:
    """The cells of the row headed ``row`` in the table captioned ``caption``."""
    table = soup.find("caption", string=caption).find_parent("table")
    header = table.find("th", string=row)
    return [td.get_text(strip=True) for td in header.find_parent("tr").find_all("td")]


def _restricted_tag(soup) -> bool:
    return any(tag.get_text(strip=True) == "Restricted" for tag in soup.select("strong.govuk-tag"))


@pytest.mark.parametrize("viewer", ["councillor", "anonymous"])
def test_the_public_read_the_published_report_with_its_figures(app, client, login_as, viewer):
    world = scenes.build()
    this_years_activity()
    publish(app)
    if viewer != "anonymous":
        login_as(user=world.users[viewer])
    # Asking for the full version (no ?version=published) still gives the
    # published one.
    response = client.get(f"/reports/{YEAR}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    assert not _restricted_tag(soup)
    # The figures are there (so the page is not empty): five received, the
    # counts below five withheld, South Oxhey's row, the money in full ...
    assert _cell(soup, "Requests in the year", "Received") == ["5"]
    assert _cell(soup, "Requests in the year", "Approved") == ["Fewer than 5"]
    assert _cell(soup, "By ward", "South Oxhey") == ["5", "Fewer than 5", "Fewer than 5"]
    assert "£1,234.00" in html
    # ... but no request is named, nor anything restricted.
    assert EVALUATED not in html and leaks(html) == []

    rows = csv_rows(client.get(f"/reports/{YEAR}.csv"))
    assert ("Report", "Version", "Published") in rows
    assert ("By ward", "South Oxhey: received", "5") in rows
    assert ("Costs", "Spent", "1234.00") in rows
    assert not any(EVALUATED in cell for row in rows for cell in row)

    text = pdf_text(client.get(f"/reports/{YEAR}.pdf"))
    assert "Published version" in text and "South Oxhey" in text and "1,234.00" in text
    assert "RESTRICTED" not in text and EVALUATED not in text and leaks(text) == []


def test_the_board_reads_the_full_report_unless_it_asks_for_the_published_one(app, client, login_as):
    world = scenes.build()
    this_years_activity()
    login_as(user=world.users["board"])
    html = client.get(f"/reports/{YEAR}").get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    assert _restricted_tag(soup)
    assert _cell(soup, "Requests in the year", "Approved") == ["2"]
    assert EVALUATED in html
    assert ("Report", "Version", "Restricted") in csv_rows(client.get(f"/reports/{YEAR}.csv"))
    text = pdf_text(client.get(f"/reports/{YEAR}.pdf"))
    assert "RESTRICTED" in text and EVALUATED in text

    published = client.get(f"/reports/{YEAR}?version=published").get_data(as_text=True)
    assert not _restricted_tag(BeautifulSoup(published, "html.parser"))
    assert EVALUATED not in published
    text = pdf_text(client.get(f"/reports/{YEAR}.pdf?version=published"))
    assert "Published version" in text and "RESTRICTED" not in text and EVALUATED not in text


def test_pdf_text_is_searched_for_the_restricted_strings(app, client, login_as):
    """The searches above read what a PDF says: the board's minutes of the
    meeting that rejected a request give its reasons, a restricted string,
    and the guide's PDF names the ward that has a camera."""
    world = scenes.build()
    login_as(user=world.users["board"])
    minutes = pdf_text(client.get(f"/meetings/{world.ids['held']}/minutes.pdf"))
    assert "INTELSECRET" in leaks(minutes)
    assert "South Oxhey" in pdf_text(client.get("/guide.pdf"))


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
    camera = db.session.get(Camera, world.ids["camera"]).label
    login_as(user=world.users["councillor"])
    # The cameras page counts the cameras up in each ward (a count below five
    # withheld) and names no camera.
    listing = BeautifulSoup(client.get("/cameras").get_data(as_text=True), "html.parser")
    assert _cell(listing, "Cameras up now, by ward", "South Oxhey") == ["Fewer than 5"]
    assert camera not in listing.get_text()
    # A camera's own page does not say where it is.
    detail = client.get(f"/cameras/{world.ids['camera']}").get_data(as_text=True)
    assert "South Oxhey" not in detail
