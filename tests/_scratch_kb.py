from datetime import date
from tests import factories
from tests.readers import page


def test_explore(app, client, login_as):
    w = factories.ward("South Oxhey")
    cam = factories.camera(name="Alpha", asset_tag="A-1")
    s = factories.site(w, street="Prestwick Road", exact_location="Lamp column 7 outside the shops")
    factories.deployment(cam, s, installed_on=date(2026, 3, 2), removed_on=date(2026, 5, 1))
    login_as("coordinator")
    r = client.get("/cameras?on=1&on=4&on=2026")
    p = page(r)
    print(
        p.select_one("#where-on").find_next("table").get_text(" | ", strip=True)
        if p.select_one("#where-on")
        else None
    )
    for q in ("on=31&on=2&on=2026", "on=1&on=1&on=2030", "on=&on=&on="):
        r = client.get("/cameras?" + q)
        p = page(r)
        print(r.status_code, p.title.get_text())
        print(p.select_one(".govuk-error-summary"))
        print([t.get_text(" ", strip=True) for t in p.select(".govuk-error-message")])
