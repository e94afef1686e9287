"""What councillors read about the process: the guide (page and PDF) and who
is responsible for what. Both are open to every signed-in user, and to the
public when the district says so; both give camera places by ward only."""

from datetime import date

from flask import Blueprint, current_app, render_template

from ..access import published
from ..models import ROLE_LABELS
from ..printing import pdf_response
from ..services import diagram, guide
from ..workflow.definition import TRANSITIONS

bp = Blueprint("guide", __name__)

TITLE = "How CCTV cameras are moved: a guide"
CONTENTS = (
    ("what-the-cameras-are-for", "What the cameras are for"),
    ("where-the-cameras-are", "Where the cameras are"),
    ("why-we-do-not-say-exactly-where", "Why we do not say exactly where"),
    ("who-can-ask", "Who can ask for a camera"),
    ("the-steps", "The steps"),
    ("the-process-as-a-chart", "The process as a chart"),
    ("board-meetings", "Board meetings"),
    ("urgent-requests", "Urgent requests"),
    ("reviews-and-removal", "Reviews and removal"),
    ("questions", "Questions councillors have asked"),
    ("contact", "Who to contact"),
)


def _context() -> dict:
    return {
        "title": TITLE,
        "guide": guide.build(date.today()),
        "diagram": diagram.svg(),
        "enough": guide.ENOUGH,
        "contents": CONTENTS,
    }


@bp.route("/guide")
@published
def guide_page():
    return render_template("guide/guide.html", **_context())


@bp.route("/guide.pdf")
@published
def guide_pdf():
    return pdf_response(render_template("guide/print.html", **_context()), "cctv-camera-guide.pdf")


# What each role does in the process, in plain words, and which of the
# definition's actors it stands for (the steps listed under it come from the
# workflow definition).
ROLES = (
    (
        "officer",
        "requester",
        "Council, police and anti-social behaviour officers. They ask for a camera by filling in a "
        "request, and can follow it through.",
    ),
    (
        "sponsor",
        "named_sponsor",
        "Partners in the Community Safety Partnership who back a request before the board sees it. "
        "A sponsor never backs their own request.",
    ),
    (
        "coordinator",
        "coordinator",
        "The partnership team. They look after the cameras and the meetings, put requests on the "
        "agenda, book and record each move, and write the annual report.",
    ),
    (
        "board",
        None,
        "Members of the Community Safety Board. They read the papers, say if they have an interest, "
        "and decide requests at the board's private meetings.",
    ),
    (
        "chair",
        "chair",
        "Runs the board's meetings and records its decisions. In an urgent case the chair can decide "
        "between meetings, and the board then looks at that decision.",
    ),
    (
        "councillor",
        None,
        "Elected members. They can read this guide, where cameras are by ward, what the board decided "
        "and the annual report, but not exact places or the reasons behind a request.",
    ),
    (
        "admin",
        None,
        "Looks after who can use this service and what each person can do. They take no part in "
        "decisions unless they also hold another role.",
    ),
)


def steps_for(actor: str | None, role: str) -> list[str]:
    """The steps a role takes, from the workflow definition, each once."""
    # A decision at a meeting is the board's, whoever records it (the chair,
    # an actor of each such step, gets them as the chair).
    at_meetings = role == "board"
    names: list[str] = []
    for t in TRANSITIONS:
        name = diagram.action(t)
        if (actor in t.actors or (at_meetings and t.at_meeting)) and name not in names:
            names.append(name)
    return names


@bp.route("/responsibilities")
@published
def responsibilities():
    roles = [(key, ROLE_LABELS[key], text, steps_for(actor, key)) for key, actor, text in ROLES]
    return render_template(
        "guide/responsibilities.html",
        title="Who is responsible for what",
        roles=roles,
        publication=current_app.config["PUBLICATION"],
    )
