"""House rules that keep the codebase honest (STYLE.md, QUALITY.md INT-4)."""

import re
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from cctv_requests.extensions import db

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cctv_requests"


def test_the_migrations_and_the_models_agree(app):
    # INT-4: autogenerate against the migrated database finds nothing to do.
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []


def test_the_schema_is_made_only_by_migrations():
    offenders = [
        str(path.relative_to(ROOT))
        for path in list(PACKAGE.rglob("*.py")) + list((ROOT / "tests").rglob("*.py"))
        if "create_all(" in path.read_text() and path.name != "test_conventions.py"
    ]
    assert offenders == []


def test_only_the_workflow_engine_writes_a_request_status():
    pattern = re.compile(r"\.status\s*=[^=]|status=dest")
    writers = sorted(
        str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py") if pattern.search(path.read_text())
    )
    # The demo opens and closes its past meeting, which has a status of its own.
    assert writers == ["services/demo.py", "workflow/engine.py"]
    demo = (PACKAGE / "services/demo.py").read_text().splitlines()
    demo_lines = [line for line in demo if pattern.search(line)]
    assert demo_lines and all(line.strip().startswith("past.status =") for line in demo_lines)


def test_urls_are_kebab_case_with_typed_parameters(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for part in re.sub(r"<[^>]+>", "", rule.rule).split("/"):
            assert part == part.lower() and "_" not in part, rule.rule
        for converter, _name in re.findall(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", rule.rule):
            assert converter in ("int", "any"), rule.rule
