"""A small world with one of everything, for tests that walk every route."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from cctv_requests.models import User
from tests import factories

STREET_MARK = "STREETSECRET Road"
ROLES = ("officer", "sponsor", "board", "chair", "coordinator", "councillor", "admin")
# Who is signed in: anonymous, a user with no role, or one user per role.
VIEWERS = ("anonymous", "no_role", *ROLES)
# Strings that must never reach a councillor or an anonymous visitor (SEC-4).
RESTRICTED_MARKS = ("EXACTSECRET", "INTELSECRET", "VIEWSECRET", "STREETSECRET", "51.637291")


@dataclass
class Scene:
    users: dict[str, User]
    ids: dict[str, int] = field(default_factory=dict)


def build() -> Scene:
    """Users for every role, a draft and a submitted request by the officer,
    a meeting with an item, and a camera deployed at a restricted site."""
    today = date.today()
    users = {"no_role": factories.user(name="No Role")}
    for role in ROLES:
        roles = ("board", "chair") if role == "chair" else (role,)
        users[role] = factories.user(*roles, name=f"The {role}")
    ward = factories.ward("South Oxhey")
    site = factories.site(ward, street=STREET_MARK)
    draft = factories.move_request(requester=users["officer"], sponsor=users["sponsor"], site_obj=site)
    submitted = factories.move_request(
        requester=users["officer"],
        sponsor=users["sponsor"],
        status="submitted",
        site_obj=factories.site(ward, street=STREET_MARK),
    )
    on_agenda = factories.move_request(
        requester=users["officer"],
        sponsor=users["sponsor"],
        status="on_agenda",
        site_obj=factories.site(ward, street=STREET_MARK),
    )
    meeting = factories.meeting(today + timedelta(days=30))
    item = factories.agenda_item(meeting, on_agenda)
    # A meeting held last month, its minutes written.
    held = factories.meeting(today - timedelta(days=30), status="closed")
    decided = factories.move_request(
        requester=users["officer"],
        sponsor=users["sponsor"],
        status="rejected",
        site_obj=factories.site(ward, street=STREET_MARK),
    )
    factories.agenda_item(held, decided, outcome="rejected", reasons="INTELSECRET reasons")
    users["board"].calendar_token = "feed-" + "k" * 40
    camera = factories.camera()
    deployed_at = factories.site(ward, street=STREET_MARK)
    deployment = factories.deployment(camera, deployed_at)
    approved = factories.move_request(
        requester=users["officer"],
        sponsor=users["sponsor"],
        status="approved",
        site_obj=factories.site(ward, street=STREET_MARK),
    )
    return Scene(
        users=users,
        ids={
            "draft": draft.id,
            "submitted": submitted.id,
            "on_agenda": on_agenda.id,
            "meeting": meeting.id,
            "item": item.id,
            "held": held.id,
            "feed_key": users["board"].calendar_token,
            "camera": camera.id,
            "deployment": deployment.id,
            "site": deployed_at.id,
            "approved": approved.id,
        },
    )
