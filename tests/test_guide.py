"""The process guide and the responsibilities page (DESIGN.md section 7).

The expected steps come from tests/lifecycle_oracle.py, the lifecycle written
out by hand from DESIGN.md, never from the workflow definition the guide is
built from: if the guide and the definition drift apart, or the definition
and the design, these tests fail.
"""

import dataclasses
import io
import itertools
import re
from datetime import UTC, date, datetime, time, timedelta

import pypdf
import pytest
import readability
import sqlalchemy as sa
from bs4 import BeautifulSoup

from cctv_requests.extensions import db
from cctv_requests.models import Deployment
from cctv_requests.services.district import DistrictConfigError, Publication, load, publication_from
from tests import factories
from tests.lifecycle_oracle import FINAL_STATES, RULES, STATES

# Every (stage, step, where it leads), by hand from DESIGN.md section 4 via
# the oracle. The coordinator's and the chair's place_on_agenda are one step.
EXPECTED_STEPS = {(source, rule.trigger, rule.dest) for rule in RULES for source in rule.sources}
WAITING_STAGES = [s for s in STATES if s not in FINAL_STATES]

# Who takes each step, as the guide's sentence begins (DESIGN.md section 4's
# "who" column; a decision at a meeting is the board's).
WHO = {
    "submit": "The requester ",
    "endorse": "The named sponsor ",
    "decline": "The named sponsor ",
    "withdraw": "The requester or the CSP coordinator ",
    "place_on_agenda": "The CSP coordinator or the board chair ",
    "approve_urgently": "The board chair ",
    "schedule_installation": "The CSP coordinator ",
    "record_installation": "The CSP coordinator ",
    "continue_deployment": "The CSP coordinator ",
    "end_deployment": "The CSP coordinator ",
    "cancel": "The CSP coordinator or the board chair ",
    "record_evaluation": "The CSP coordinator ",
    "defer": "The board ",
    "approve": "The board ",
    "reject": "The board ",
    "ratify": "The board ",
    "not_ratify": "The board ",
    "continue_at_review": "The board ",
    "end_at_review": "The board ",
    ("submitted", "return_for_changes"): "The named sponsor ",
    ("on_agenda", "return_for_changes"): "The board ",
}


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


@pytest.fixture
def councillor(login_as, district):
    return login_as("councillor")


def test_the_guide_lists_every_stage_and_step_of_the_lifecycle(client, councillor):
    page = soup_of(client.get("/guide"))
    stages = page.select("ol.app-guide-stages > li")
    assert [li["id"] for li in stages] == [f"stage-{s.replace('_', '-')}" for s in WAITING_STAGES]
    found = set()
    for stage, li in zip(WAITING_STAGES, stages, strict=True):
        for step in li.select("li[data-trigger]"):
            found.add((stage, step["data-trigger"], step["data-dest"]))
    assert found == EXPECTED_STEPS


def test_each_step_says_who_takes_it(client, councillor):
    page = soup_of(client.get("/guide"))
    stages = page.select("ol.app-guide-stages > li")
    assert len(stages) == len(WAITING_STAGES)
    for stage, li in zip(WAITING_STAGES, stages, strict=True):
        for step in li.select("li[data-trigger]"):
            trigger = step["data-trigger"]
            text = step.get_text(" ", strip=True)
            who = WHO.get((stage, trigger)) or WHO[trigger]
            assert text.startswith(who), text
            # The whole subject, not the start of a longer one ("The board chair").
            assert not text[len(who) :].startswith(("chair ", "coordinator ", "or ")), text
    # The service places endorsed requests on agendas by itself, and says so.
    placing = page.select_one('li[data-trigger="place_on_agenda"]').get_text(" ", strip=True)
    assert "The service does this by itself" in placing


def test_the_chart_draws_every_step_from_the_definition(client, councillor):
    page = soup_of(client.get("/guide"))
    svg = page.select_one("figure svg.app-diagram")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    assert svg.find(id=title_id).get_text() == "How a request moves through the process"
    assert "written out in words" in svg.find(id=desc_id).get_text()
    drawn = {(g["data-source"], g["data-trigger"], g["data-dest"]) for g in svg.select("g.app-diagram__step")}
    assert drawn == EXPECTED_STEPS
    assert [g["data-state"] for g in svg.select("g.app-diagram__state")] == WAITING_STAGES
    # Drawn with no inline styles or scripts (the CSP allows neither).
    assert not svg.select("[style], script")


def _words(page: BeautifulSoup) -> str:
    """The guide's running text: its paragraphs, list items and headings,
    without the tables, the chart and the contents list."""
    main = page.find(id="main-content")
    for tag in main.select("table, figure, nav, .govuk-caption-l"):
        tag.decompose()
    blocks = [
        t.get_text(" ", strip=True) for t in main.find_all(["p", "li", "h2", "h3"]) if not t.find(["p", "li"])
    ]
    return " ".join(b if b[-1] in ".?!" else b + "." for b in blocks if b)


def test_the_guide_reads_at_a_reading_age_of_about_12(client, councillor):
    text = _words(soup_of(client.get("/guide")))
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", text) if s]
    # The library wants one sentence a line, its words split by spaces.
    tokens = "\n".join(" ".join(re.findall(r"[\w£'-]+|[.,;:?!]", s)) for s in sentences)
    grades = readability.getmeasures(tokens, lang="en")["readability grades"]
    # Flesch-Kincaid grade + 5 is a reading age: grade 7 is about 12.
    assert grades["Kincaid"] <= 7, grades
    # 60 and above is plain English on the Flesch reading-ease scale.
    assert grades["FleschReadingEase"] >= 60, grades
    assert len(sentences) > 80


def test_the_guide_answers_the_committees_questions(client, councillor):
    text = soup_of(client.get("/guide")).get_text(" ", strip=True)
    for question, answer in (
        ("Can we buy more cameras?", "There is no money for more cameras, and putting one up costs a lot"),
        ("How is a camera moved, and who decides?", "the board decides at a meeting"),
        ("Where do the cameras come from, and who pays?", "out of the Community Safety budget"),
        ("Are there cameras in my ward, and can you say where?", "We do not say exactly where"),
        ("How often does the board meet, and who speaks for the council?", "The board meets 3 times a year"),
        ("How does the committee hear how well it is doing?", "gets an annual report"),
        ("Are the priorities ranked?", "No. The board's priorities for 2026/27 all carry the same weight"),
    ):
        assert question in text
        assert answer in text
    # From the district file: the lead member, the committee, the budget.
    assert "Councillor Jo Example, Lead Member for Community Safety represents the council" in text
    assert "the Policy and Resources Committee gets an annual report" in text
    assert "The budget for moving cameras in 2026 to 2027 is £15,000." in text
    assert "violence, vulnerable people, burglary and motor crime, fraud and scam" in text
    # Six cameras, from the district file: five up and one in store.
    assert "has 6 CCTV cameras" in text
    assert "5 cameras are up at the moment, and 1 is in store, ready to be used." in text


def test_the_guide_gives_the_next_meetings_and_their_cutoffs(client, councillor):
    # A meeting whose day has passed is not a next meeting, even if no one
    # has opened it yet.
    factories.meeting(date.today() - timedelta(days=3))
    page = soup_of(client.get("/guide"))
    table = page.find("caption", string="The next board meetings").find_parent("table")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in table.tbody.find_all("tr")]
    # From the district file's dates, today being 26 November 2026 or later
    # in this suite: the first is after today and papers close 10 working
    # days before (bank holidays of England excluded).
    assert rows
    for meets_on, cutoff in rows:
        assert datetime.strptime(meets_on, "%d %B %Y").date() >= date.today()
        assert datetime.strptime(meets_on, "%d %B %Y").date() > datetime.strptime(cutoff, "%d %B %Y").date()
    if date.today() < date(2027, 2, 17):
        assert rows[0] == ["3 March 2027", "17 February 2027"]


def _deploy(ward_name: str, n: int) -> None:
    ward = factories.ward(ward_name)
    for _ in range(n):
        factories.deployment(factories.camera(), factories.site(ward))


@pytest.mark.parametrize(
    ("threshold", "cameras", "shown"),
    [
        (5, 0, "None"),
        (5, 1, "Fewer than 5"),
        (5, 4, "Fewer than 5"),
        (5, 5, "5"),
        (5, 6, "6"),
        (3, 2, "Fewer than 3"),
        (3, 3, "3"),
    ],
)
def test_cameras_by_ward_are_suppressed_below_the_threshold(app, client, login_as, threshold, cameras, shown):
    app.config["SMALL_NUMBER_THRESHOLD"] = threshold
    factories.ward("Gade Valley")
    _deploy("Gade Valley", cameras)
    login_as("councillor")
    for url in ("/guide", "/", "/cameras"):
        page = soup_of(client.get(url))
        cell = page.find("th", string="Gade Valley").find_next_sibling("td")
        assert cell.get_text(strip=True) == shown, url


def test_cameras_in_store_and_waiting_for_repair_are_counted(client, login_as):
    factories.ward("Leavesden")
    _deploy("Leavesden", 2)
    factories.camera()
    factories.camera(service_status="faulty")
    factories.camera(service_status="retired")
    # A camera whose deployment ended is back in store.
    old = factories.camera()
    factories.deployment(old, installed_on=date(2026, 1, 5), removed_on=date(2026, 3, 1))
    login_as("councillor")
    text = soup_of(client.get("/")).get_text(" ", strip=True)
    assert "2 cameras are up at the moment, and 3 are in store (1 waiting for repair)." in text


def _step(request_id: int, source: str, dest: str, on: date) -> None:
    factories.step(request_id, "step", datetime.combine(on, time(12), UTC), source, dest)


def test_how_long_a_stage_takes_is_measured_once_enough_requests_have_passed(client, councillor):
    sent = date.today() - timedelta(days=100)
    # Six requests waited for their sponsor 2, 4, 6, 8, 10 and 30 days: half
    # moved on within (6 + 8) / 2 = 7 days. A request still waiting is not
    # counted.
    for n, days in enumerate((2, 4, 6, 8, 10, 30), start=1):
        _step(n, "draft", "submitted", sent)
        _step(n, "submitted", "endorsed", sent + timedelta(days=days))
    _step(7, "draft", "submitted", sent)
    # Four requests left "endorsed": too few to say.
    for n in range(1, 5):
        _step(n, "endorsed", "on_agenda", sent + timedelta(days=40))
    # Those four and one more stayed on an agenda 10, 20, 30, 40 and 50
    # days; a deferral on day 5 keeps each on the agenda and does not start
    # its stay again: half moved on within 30.
    _step(8, "endorsed", "on_agenda", sent + timedelta(days=40))
    for stay, n in enumerate((1, 2, 3, 4, 8), start=1):
        _step(n, "on_agenda", "on_agenda", sent + timedelta(days=45))
        _step(n, "on_agenda", "approved", sent + timedelta(days=40 + 10 * stay))
    db.session.commit()
    page = soup_of(client.get("/guide"))
    waiting = page.find(id="stage-submitted").get_text(" ", strip=True)
    assert "Half of requests move on within 7 days (from 6 requests)." in waiting
    endorsed = page.find(id="stage-endorsed").get_text(" ", strip=True)
    assert "We will say how long this usually takes once 5 requests have moved on from it." in endorsed
    on_agenda = page.find(id="stage-on-agenda").get_text(" ", strip=True)
    assert "Half of requests move on within 30 days (from 5 requests)." in on_agenda


def test_the_guide_pdf_has_the_same_text(client, councillor):
    response = client.get("/guide.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert 'filename="cctv-camera-guide.pdf"' in response.headers["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "How CCTV cameras are moved: a guide" in text
    assert "Why we do not say exactly where" in text
    assert "Are the priorities ranked?" in text
    assert "Page 1 of" in text
    assert len(reader.pages) >= 3


def test_the_guide_is_for_signed_in_users_unless_the_council_publishes_it(app, client, district):
    for url in ("/guide", "/guide.pdf", "/responsibilities"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/sign-in")
    app.config["PUBLICATION"] = dataclasses.replace(app.config["PUBLICATION"], public=True)
    for url in ("/guide", "/guide.pdf", "/responsibilities"):
        assert client.get(url).status_code == 200
    # Publishing the guide does not open the rest of the service.
    assert client.get("/cameras").status_code == 302


def test_responsibilities_name_the_councils_holders(client, councillor):
    text = soup_of(client.get("/responsibilities")).get_text(" ", strip=True)
    assert (
        "Councillor Jo Example, Lead Member for Community Safety represents Three Rivers District Council"
        in text
    )
    assert "The Policy and Resources Committee hears once a year" in text
    assert "Chair: Sam Example, Community Safety Partnership chair." in text


def test_responsibilities_without_named_holders_still_say_who_does_what(app, client, councillor):
    app.config["PUBLICATION"] = dataclasses.replace(app.config["PUBLICATION"], holders=())
    text = soup_of(client.get("/responsibilities")).get_text(" ", strip=True)
    assert "The council's lead member for community safety represents Three Rivers District Council" in text
    assert "Jo Example" not in text


def test_each_role_lists_the_steps_it_takes(client, councillor):
    page = soup_of(client.get("/responsibilities"))

    def steps(role: str) -> list[str]:
        heading = page.find(id=f"role-{role}")
        return [li.get_text(strip=True) for li in heading.find_next("ul").find_all("li")]

    # From DESIGN.md section 4's "who" column.
    assert steps("sponsor") == ["Endorse", "Return for changes", "Decline to sponsor"]
    assert steps("officer") == ["Send to its sponsor", "Withdraw"]
    assert "Approve by chair's action" in steps("chair")
    assert "Approve" in steps("board") and "Approve by chair's action" not in steps("board")
    assert "Record the camera's installation" in steps("coordinator")


def test_a_councillors_camera_page_is_not_a_dead_end(client, councillor, district):
    page = soup_of(client.get(f"/cameras/{district['cameras'][0].id}"))
    links = {a.get_text(strip=True): a["href"] for a in page.select("main a")}
    assert links["Cameras by ward"] == "/cameras"
    assert links["How cameras are moved: a guide"] == "/guide"
    # The cameras page gives wards, not a camera-by-camera list.
    cameras = soup_of(client.get("/cameras"))
    assert not cameras.select('a[href^="/cameras/"]')
    deployed = db.session.scalar(
        db.select(db.func.count(Deployment.id)).where(Deployment.removed_on.is_(None))
    )
    assert f"{deployed} cameras are up at the moment" in cameras.get_text(" ", strip=True)


def test_the_councillors_home_serves_a_councillor(client, councillor):
    page = soup_of(client.get("/"))
    text = page.get_text(" ", strip=True)
    assert "What is waiting for you" not in text
    hrefs = {a["href"] for a in page.select("main a")}
    assert {"/guide", "/responsibilities", "/reports"} <= hrefs
    assert any(re.fullmatch(r"/reports/\d{4}", h) for h in hrefs)
    assert "No meeting has closed yet." in text
    # The district's next meetings, by date, with their papers cut-off.
    nearest = page.find("h2", string="Next board meetings").find_next("li").get_text(strip=True)
    assert re.fullmatch(r"\d{1,2} \w+ 20\d\d \(papers close \d{1,2} \w+ 20\d\d\)", nearest)
    # Once the board has met, its summary is a link away.
    held = factories.meeting(date(2026, 7, 8), status="closed")
    page = soup_of(client.get("/"))
    hrefs = {a["href"] for a in page.select("main a")}
    assert {f"/meetings/{held.id}/summary", "/meetings/summaries"} <= hrefs


DISTRICT = 'council_name = "Test District Council"\nwards = ["North", "South"]\n'


@pytest.mark.parametrize(
    ("tables", "message"),
    [
        ('[publication]\npublic = "yes"', "publication.public must be true or false."),
        ("[publication]\npublic = 1", "publication.public must be true or false."),
        (
            '[responsibilities]\nmayor = "Someone"',
            "responsibilities has mayor: it may name only lead_member, committee, board_chair, coordinator, police.",
        ),
        (
            "[responsibilities]\nlead_member = 7",
            "responsibilities.lead_member must be a name of up to 200 characters.",
        ),
        (
            f'[responsibilities]\ncommittee = "{"x" * 201}"',
            "responsibilities.committee must be a name of up to 200 characters.",
        ),
        ('publication = "public"', "publication and responsibilities must be tables."),
    ],
)
def test_a_bad_publication_setting_is_refused_when_the_file_is_loaded(tmp_path, tables, message):
    district_file = tmp_path / "district.toml"
    district_file.write_text(
        (tables + "\n" + DISTRICT) if not tables.startswith("[") else DISTRICT + tables + "\n"
    )
    with pytest.raises(DistrictConfigError) as refused:
        load(district_file)
    assert str(refused.value) == f"{district_file}: {message}"


def test_publication_defaults_to_signed_in_users_and_no_names(tmp_path):
    district_file = tmp_path / "district.toml"
    district_file.write_text(
        DISTRICT + '[responsibilities]\nlead_member = "  Cllr A. Person  "\ncommittee = ""\n'
    )
    publication = publication_from(load(district_file))
    assert publication == Publication(public=False, holders=(("lead_member", "Cllr A. Person"),))
    assert publication.holder("committee") == ""


def test_a_published_guide_offers_the_public_its_pages_and_no_others(app, client, district):
    app.config["PUBLICATION"] = dataclasses.replace(app.config["PUBLICATION"], public=True)
    page = soup_of(client.get("/guide"))
    menu = [(a.get_text(strip=True), a["href"]) for a in page.select(".govuk-service-navigation__list a")]
    assert menu == [
        ("Guide", "/guide"),
        ("Who is responsible", "/responsibilities"),
        ("Reports", "/reports"),
        ("Sign in", "/sign-in"),
    ]
    for _, href in menu:
        assert client.get(href).status_code == 200


def _queries_for(client, path: str) -> int:
    seen: list[str] = []

    def on_statement(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", on_statement)
    try:
        assert client.get(path).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", on_statement)
    return len(seen)


def _grow(wards: int, cameras: int, requests: int) -> None:
    """More wards with cameras up, and requests that passed a stage."""
    sent = date.today() - timedelta(days=200)
    for _ in range(wards):
        ward = factories.ward()
        for _ in range(cameras):
            factories.deployment(factories.camera(), factories.site(ward))
    for n in range(requests):
        _step(10_000 + n, "draft", "submitted", sent)
        _step(10_000 + n, "submitted", "endorsed", sent + timedelta(days=n % 9))
    db.session.commit()


def test_the_guide_and_home_make_as_many_queries_for_ten_times_the_data(client, councillor):
    _grow(wards=1, cameras=1, requests=6)
    before = {path: _queries_for(client, path) for path in ("/guide", "/", "/cameras")}
    _grow(wards=9, cameras=3, requests=60)
    after = {path: _queries_for(client, path) for path in ("/guide", "/", "/cameras")}
    assert after == before


def test_the_chart_says_who_takes_each_step(client, councillor):
    svg = soup_of(client.get("/guide")).select_one("svg.app-diagram")

    def text(source: str, trigger: str) -> str:
        step = svg.select_one(f'g[data-source="{source}"][data-trigger="{trigger}"]')
        return step.find_all("text")[-1].get_text()

    # DESIGN.md section 4's "who" column; a decision at a meeting is the board's.
    assert text("draft", "submit") == "Send to its sponsor: the requester"
    assert text("submitted", "endorse") == "Endorse: the named sponsor"
    assert text("draft", "withdraw") == "Withdraw: the requester or the CSP coordinator"
    assert text("endorsed", "place_on_agenda") == (
        "Place on a board agenda: the CSP coordinator, the board chair or automatically"
    )
    assert text("on_agenda", "approve") == "Approve: the board, at a meeting"
    assert text("endorsed", "approve_urgently") == "Approve by chair's action: the board chair"
    assert text("approved", "cancel") == "Cancel: the CSP coordinator or the board chair"
    # Where each step leads, in its pill.
    pill = svg.select_one('g[data-source="on_agenda"][data-trigger="defer"] rect + text').get_text()
    assert pill == "Stays at this stage"


def test_the_charts_rows_do_not_overlap_and_each_box_holds_its_name(client, councillor):
    svg = soup_of(client.get("/guide")).select_one("svg.app-diagram")
    width, height = (float(n) for n in svg["viewbox"].split()[2:])
    previous_bottom = 0.0
    for state in WAITING_STAGES:
        box = svg.select_one(f'g[data-state="{state}"] rect')
        top, bottom = float(box["y"]), float(box["y"]) + float(box["height"])
        label = svg.select_one(f'g[data-state="{state}"] text')
        # The stage's name sits inside its box.
        assert top < float(label["y"]) < bottom, state
        assert float(box["x"]) < float(label["x"]) < float(box["x"]) + float(box["width"]), state
        pills = [
            (float(r["y"]), float(r["y"]) + float(r["height"]))
            for r in svg.select(f'g.app-diagram__step[data-source="{state}"] rect')
        ]
        # Its steps' pills come after the row above and stack without overlapping.
        assert min(top, pills[0][0]) >= previous_bottom, state
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(pills)), state
        # The box is level with its steps.
        assert pills[0][0] <= (top + bottom) / 2 <= pills[-1][1], state
        previous_bottom = max(bottom, pills[-1][1])
    assert previous_bottom <= height
    for rect in svg.select("rect"):
        assert float(rect["x"]) >= 0 and float(rect["x"]) + float(rect["width"]) <= width
