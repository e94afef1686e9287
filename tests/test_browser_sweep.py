"""Every page each role can reach by following links, checked with axe-core
in real Chromium (QUALITY.md A11Y-1), on the demo data set."""

from datetime import date
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from cctv_requests.services import demo
from tests import factories
from tests.browser import assert_accessible, close, sign_in

pytestmark = pytest.mark.browser

ROLES = ("officer", "sponsor", "board", "chair", "coordinator", "councillor", "admin")
MAX_PAGES = 80

# What every role can read, linked from the navigation ("Guide", and
# "Reports" for some) and from the guide: the guide, who is responsible for
# what, the annual reports and this financial year's report (April to March).
_today = date.today()
_YEAR = _today.year if _today.month >= 4 else _today.year - 1
READ_BY_EVERY_ROLE = {"/guide", "/responsibilities", "/reports", f"/reports/{_YEAR}"}


def _local_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        # Downloads (PDF papers and reports, the report's CSV, the calendar
        # feed) are not pages: their own tests read them.
        download = parts.path.endswith((".pdf", ".csv", ".ics"))
        if (
            parts.netloc == urlsplit(page.url).netloc
            and not parts.path.startswith("/static/")
            and not download
        ):
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


# Pages are the same on both databases, so once is enough. One test per role,
# so parallel workers share the sweep.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_has_no_axe_violations(chromium, live_server, role):
    with live_server.app.app_context():
        factories.district()
        users = demo.ensure_users(factories.PASSWORD)
        demo.create_sample_requests(users, date.today())
        person = SimpleNamespace(email=users[role].email, name=users[role].name)
    page = sign_in(chromium, live_server, person)
    seen, queue = set(), ["/"]
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page.goto(path)
        assert_accessible(page)
        queue.extend(p for p in _local_links(page) if p not in seen)
    close(page)
    print(f"pages checked for {role}: {len(seen)}")
    # Each role reaches more than its home page; the CSP team reach the most.
    assert len(seen) >= (20 if role == "coordinator" else 3), sorted(seen)
    assert READ_BY_EVERY_ROLE - seen == set(), sorted(seen)
