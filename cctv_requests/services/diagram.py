"""The request lifecycle as a diagram, drawn from the workflow definition.

The same definition drives the engine, so the diagram cannot drift from what
the service does (DESIGN.md section 4, "Rules for the machine"). Each state a
request can wait in is a row; beside it, every step that leaves it, with who
takes it and where it leads. The SVG is built here, on the server, with no
scripts or inline styles, and carries a title and description; the guide
gives the same steps in words beside it.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ..workflow.definition import ACTORS, STATE_LIST, STATES, TRANSITIONS, Transition


def who(transition: Transition) -> str:
    """Who takes a step, in words: a board decision is the board's, at a
    meeting, whoever records it."""
    if transition.at_meeting:
        return "the board, at a meeting"
    people = [ACTORS[a] if a != "system" else "automatically" for a in transition.actors]
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " or " + people[-1]


def action(transition: Transition) -> str:
    """The step's name: its button label without "this request"."""
    return transition.label.replace(" this request", "")


@dataclass(frozen=True)
class Exit:
    transition: Transition
    source: str
    dest: str

    @property
    def stays(self) -> bool:
        return self.source == self.dest

    @property
    def ends(self) -> bool:
        return STATES[self.dest].final

    @property
    def text(self) -> str:
        return f"{action(self.transition)}: {who(self.transition)}"


def rows() -> list[tuple[str, list[Exit]]]:
    """Each state a request can wait in, in process order, with the steps
    that leave it, in the order the definition gives them."""
    return [
        (state.name, [Exit(t, state.name, t.dest) for t in TRANSITIONS if state.name in t.sources])
        for state in STATE_LIST
        if not state.final
    ]


# Layout, in SVG user units (the picture scales to the page's width).
WIDTH = 1040
BOX_W, BOX_H = 180, 44
BUS_X = BOX_W + 30
PILL_X, PILL_W, PILL_H = BUS_X + 22, 180, 26
TEXT_X = PILL_X + PILL_W + 12
LINE = 30
GAP = 18

# GOV.UK tag colours: light fills with dark text, every pair above 7:1.
FILLS = {"stays": ("#e5e6e7", "#272a2c"), "ends": ("#f4cdc6", "#2a0b06"), "moves": ("#bbd4ea", "#0c2d4a")}


def svg(title_id: str = "lifecycle-title", desc_id: str = "lifecycle-desc") -> str:
    """The lifecycle diagram as an accessible SVG element."""
    parts: list[str] = []
    y = 10
    for state, exits in rows():
        height = max(BOX_H, LINE * len(exits))
        top = y + (height - BOX_H) / 2
        centre = top + BOX_H / 2
        parts.append(
            f'<g class="app-diagram__state" data-state="{state}">'
            f'<rect x="2" y="{top}" width="{BOX_W}" height="{BOX_H}" rx="4" fill="#1d70b8"/>'
            f'<text x="{2 + BOX_W / 2}" y="{centre + 5}" text-anchor="middle" fill="#ffffff" '
            f'font-weight="bold">{escape(STATES[state].label)}</text></g>'
        )
        first = y + (height - LINE * len(exits)) / 2 + LINE / 2
        last = first + LINE * (len(exits) - 1)
        parts.append(
            f'<path d="M{2 + BOX_W} {centre} H{BUS_X} M{BUS_X} {min(first, centre)} V{max(last, centre)}" '
            'stroke="#505a5f" stroke-width="1.5" fill="none"/>'
        )
        for n, step in enumerate(exits):
            line_y = first + n * LINE
            kind = "stays" if step.stays else "ends" if step.ends else "moves"
            fill, ink = FILLS[kind]
            label = "Stays at this stage" if step.stays else STATES[step.dest].label
            parts.append(
                f'<g class="app-diagram__step" data-source="{step.source}" data-dest="{step.dest}" '
                f'data-trigger="{step.transition.trigger}">'
                f'<path d="M{BUS_X} {line_y} H{PILL_X - 2}" stroke="#505a5f" stroke-width="1.5" '
                'marker-end="url(#app-arrow)"/>'
                f'<rect x="{PILL_X}" y="{line_y - PILL_H / 2}" width="{PILL_W}" height="{PILL_H}" rx="12" '
                f'fill="{fill}"/>'
                f'<text x="{PILL_X + PILL_W / 2}" y="{line_y + 5}" text-anchor="middle" fill="{ink}">'
                f"{escape(label)}</text>"
                f'<text x="{TEXT_X}" y="{line_y + 5}" fill="#0b0c0c">{escape(step.text)}</text></g>'
            )
        y += height + GAP
    title = "How a request moves through the process"
    desc = (
        "A chart of the stages a request can wait at, from draft to the camera coming down. "
        "Beside each stage are the steps that can be taken from it, who takes each one, and the "
        "stage it leads to. The same steps are written out in words in the list of steps before the chart."
    )
    return (
        f'<svg class="app-diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {y}" '
        f'role="img" aria-labelledby={quoteattr(title_id + " " + desc_id)} '
        'font-family="Arial, Helvetica, sans-serif" font-size="15">'
        f"<title id={quoteattr(title_id)}>{escape(title)}</title>"
        f"<desc id={quoteattr(desc_id)}>{escape(desc)}</desc>"
        '<defs><marker id="app-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0 0 L10 5 L0 10 z" fill="#505a5f"/></marker></defs>'
        + "".join(parts)
        + "</svg>"
    )
