"""The accessibility statement (QUALITY.md A11Y-3): public, in the sections
of the GOV.UK sample statement, with the council's contact, compliance,
known problems and dates from the district file's [accessibility] table,
defaults when the table is left out, and bad values refused at load."""

import shutil

import pytest

from cctv_requests import create_app
from cctv_requests.extensions import db
from cctv_requests.services.district import DistrictConfigError, load
from tests.conftest import config_for
from tests.readers import page

DISTRICT = 'council_name = "Dacorum Borough Council"\nwards = ["Adeyfield West", "Bovingdon"]\n'

DACORUM_STATEMENT = """
[accessibility]
contact_email = "access@dacorum.example.org"
contact_phone = "01632 960 777"
reply_working_days = 10
compliance = "partially"
known_problems = [
  "Some tables on the costs page are wide.",
  "The timeline chart has no text description.",
]
prepared_on = 2027-01-15
reviewed_on = "2027-06-30"
"""

HEADINGS = [
    ("h2", "How accessible this service is"),
    ("h2", "What to do if you cannot access parts of this service"),
    ("h2", "Reporting accessibility problems with this service"),
    ("h2", "Enforcement procedure"),
    ("h2", "Technical information about this service's accessibility"),
    ("h3", "Compliance status"),
    ("h2", "Non-accessible content"),
    ("h2", "How we tested this service"),
    ("h2", "Preparation of this accessibility statement"),
]


@pytest.fixture
def statement(tmp_path, sqlite_template):
    """The statement page as an anonymous visitor gets it, from an app built
    with ``district`` (TOML text; None for the default district file). The page
    reads no data, so one database is enough."""
    made = []

    def get(district: str | None = None, **config):
        path = tmp_path / f"test{len(made)}.sqlite"
        shutil.copy(sqlite_template, path)
        if district is not None:
            district_file = tmp_path / f"district{len(made)}.toml"
            district_file.write_text(district)
            config["DISTRICT_CONFIG"] = str(district_file)
        app = create_app(config_for(f"sqlite:///{path}", **config))
        made.append(app)
        response = app.test_client().get("/accessibility")
        assert response.status_code == 200
        return page(response)

    yield get
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _text(html) -> str:
    return " ".join(html.select_one("main").get_text(" ").split())


def test_anyone_may_read_it_without_signing_in(statement):
    html = statement()
    assert html.select_one("h1").get_text(strip=True) == "Accessibility statement for CCTV camera requests"
    assert html.title.get_text().startswith("Accessibility statement for CCTV camera requests – ")
    assert html.find("form", attrs={"action": "/sign-in"}) is None


def test_it_has_every_section_of_the_gov_uk_statement_in_order(statement):
    html = statement()
    found = [(h.name, h.get_text(strip=True)) for h in html.select("main h2, main h3")]
    assert found == HEADINGS
    assert len(html.select("h1")) == 1


def test_the_service_name_is_written_as_configured_not_lower_cased(statement):
    text = _text(statement())
    assert "This accessibility statement applies to CCTV camera requests, the service" in text
    assert "cctv camera requests" not in text
    renamed = statement(SERVICE_NAME="Redeployable CCTV Moves")
    assert (
        renamed.select_one("h1").get_text(strip=True) == "Accessibility statement for Redeployable CCTV Moves"
    )
    assert "applies to Redeployable CCTV Moves, the service" in _text(renamed)


def test_who_runs_it_and_who_enforces_the_regulations(statement):
    text = _text(statement(DISTRICT + DACORUM_STATEMENT))
    assert "This service is run by Dacorum Borough Council." in text
    assert "Equality and Human Rights Commission (EHRC) is responsible for enforcing" in text
    assert "(No. 2) Accessibility Regulations 2018" in text
    assert "contact the Equality Advisory and Support Service (EASS)" in text
    assert "If you are in Northern Ireland, contact the Equality Commission for Northern Ireland" in text


def test_how_it_was_tested(statement):
    text = _text(statement())
    for words in ("axe-core", "Chromium", "1280 CSS pixels", "320 CSS pixels", "keyboard alone"):
        assert words in text


def test_the_districts_own_contact_compliance_problems_and_dates_are_shown(statement):
    html = statement(DISTRICT + DACORUM_STATEMENT)
    text = _text(html)
    assert [a["href"] for a in html.select('main a[href^="mailto:"]')] == [
        "mailto:access@dacorum.example.org",
        "mailto:access@dacorum.example.org",
    ]
    assert text.count("call 01632 960 777") == 2
    assert "reply within 10 working days." in text
    assert (
        "This service is partially compliant with the Web Content Accessibility Guidelines version 2.2"
        in text
    )
    problems = html.select_one("#non-accessible-content").find_next("ul")
    assert [li.get_text(strip=True) for li in problems.select("li")] == [
        "Some tables on the costs page are wide.",
        "The timeline chart has no text description.",
    ]
    assert "We know some parts of this service are not fully accessible." in text
    assert "This statement was prepared on 15 January 2027. It was last reviewed on 30 June 2027." in text
    assert "Community Safety Partnership team at Dacorum" not in text


def test_a_fully_compliant_service_says_it_knows_of_no_problems(statement):
    html = statement(
        DISTRICT + '[accessibility]\ncompliance = "fully"\nreply_working_days = 1\n'
        'contact_email = "access@dacorum.example.org"\nprepared_on = 2027-02-01\n'
    )
    text = _text(html)
    assert "This service is fully compliant with the Web Content Accessibility Guidelines version 2.2" in text
    assert "partially compliant" not in text
    assert "There are no known accessibility problems in this service." in text
    assert "We know of no part of this service that is not accessible." in text
    assert "reply within 1 working day." in text
    # Only an email given: no phone line.
    assert "call " not in text
    # Reviewed on is the prepared date when not given.
    assert "This statement was prepared on 1 February 2027. It was last reviewed on 1 February 2027." in text


def test_without_an_accessibility_table_the_defaults_apply(statement):
    html = statement(DISTRICT)
    text = _text(html)
    assert text.count("Contact the Community Safety Partnership team at Dacorum Borough Council.") == 2
    assert html.select('main a[href^="mailto:"]') == []
    assert "reply within 5 working days." in text
    assert (
        "This service is partially compliant with the Web Content Accessibility Guidelines version 2.2"
        in text
    )
    problems = html.select_one("#non-accessible-content").find_next("ul")
    assert [li.get_text(strip=True) for li in problems.select("li")] == [
        "The agenda pack and minutes PDFs are not tagged, so a screen reader may not read them in the right "
        "order. The same papers are on web pages in the service.",
        "The circles on the map of camera sites cannot be selected with a keyboard. Every site on the map is "
        "also listed, with the same details, in the table below it.",
    ]
    assert (
        "This statement was prepared on 26 November 2026. It was last reviewed on 26 November 2026." in text
    )


def test_three_rivers_gives_its_contact(statement):
    text = _text(statement())
    assert "email community.safety@example.org" in text
    assert "call 01632 960 001" in text
    assert "Three Rivers District Council is committed to making this service accessible" in text


BAD = [
    (
        'compliance = "mostly"',
        'accessibility.compliance must be "fully" or "partially" (compliant with WCAG 2.2 AA), not \'mostly\'.',
    ),
    ('compliance = "Fully"\nknown_problems = []', 'accessibility.compliance must be "fully" or "partially"'),
    (
        'prepared_on = "26/11/2026"',
        "accessibility.prepared_on must be a date written as YYYY-MM-DD, not '26/11/2026'.",
    ),
    ('prepared_on = "2027-02-30"', "accessibility.prepared_on must be a date written as YYYY-MM-DD"),
    ("reviewed_on = 2027", "accessibility.reviewed_on must be a date written as YYYY-MM-DD, not 2027."),
    (
        "prepared_on = 2027-03-01\nreviewed_on = 2027-02-28",
        "accessibility.reviewed_on cannot be before prepared_on.",
    ),
    (
        'compliance = "partially"\nknown_problems = []',
        'accessibility.known_problems must list the problems when compliance is "partially".',
    ),
    (
        'compliance = "fully"\nknown_problems = ["The map cannot be used by keyboard."]',
        'accessibility.compliance cannot be "fully" while known_problems lists problems',
    ),
    ('known_problems = ["A problem", ""]', "accessibility.known_problems must be a list of sentences."),
    ('known_problems = "The map"', "accessibility.known_problems must be a list of sentences."),
    ('contact_email = "access at dacorum"', "accessibility.contact_email must be an email address"),
    ('contact_phone = "ring the office"', "accessibility.contact_phone must be a telephone number"),
    ('contact_phone = "123"', "accessibility.contact_phone must be a telephone number"),
    ("reply_working_days = 0", "accessibility.reply_working_days must be a whole number from 1 to 30."),
    ('reply_working_days = "five"', "accessibility.reply_working_days must be a whole number from 1 to 30."),
]


@pytest.mark.parametrize(("table", "message"), BAD)
def test_a_bad_value_is_refused_with_a_clear_message_when_the_file_is_loaded(tmp_path, table, message):
    district_file = tmp_path / "district.toml"
    district_file.write_text(DISTRICT + "[accessibility]\n" + table + "\n")
    with pytest.raises(DistrictConfigError) as refused:
        load(district_file)
    assert str(refused.value).startswith(f"{district_file}: ")
    assert message in str(refused.value)
    # The app will not start on it either.
    with pytest.raises(DistrictConfigError, match="accessibility"):
        create_app(config_for("sqlite://", DISTRICT_CONFIG=str(district_file)))


def test_a_non_table_is_refused(tmp_path):
    district_file = tmp_path / "district.toml"
    district_file.write_text('accessibility = "yes"\n' + DISTRICT)
    with pytest.raises(DistrictConfigError, match=r"accessibility must be a table: \[accessibility\]\."):
        load(district_file)
