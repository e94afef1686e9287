"""CCTV camera redeployment requests: the application factory."""

import os
from pathlib import Path

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.routing import IntegerConverter

from config import CONFIGS, INSTANCE_DIR

from .extensions import csrf, db, login_manager, migrate
from .models.base import MAX_ID

ROOT = Path(__file__).resolve().parent.parent


class RowId(IntegerConverter):
    """An id in a URL: a number no database row can have (past a 32-bit
    integer) is a page that does not exist, 404, not a database error."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def create_app(config=None) -> Flask:
    """Build the application.

    ``config`` is a configuration class or the name of one in ``config.py``;
    by default ``FLASK_CONFIG`` from the environment, else development.
    """
    if config is None or isinstance(config, str):
        config = CONFIGS[config or os.environ.get("FLASK_CONFIG", "development")]
    app = Flask(__name__, instance_path=str(INSTANCE_DIR), template_folder=None)
    app.url_map.converters["int"] = RowId
    app.config.from_object(config)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in the environment.")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not all(
        app.config.get(key)
        for key in ("COUNCIL_NAME", "MEETING_RULES", "DEPLOYMENT_RULES", "ACCESSIBILITY", "PUBLICATION")
    ):
        from .services import calendar, deployments, district

        district_data = district.load(app.config.get("DISTRICT_CONFIG"))
        app.config["COUNCIL_NAME"] = app.config.get("COUNCIL_NAME") or district_data["council_name"]
        app.config.setdefault("MEETING_RULES", calendar.rules_from(district_data))
        app.config.setdefault("DEPLOYMENT_RULES", deployments.rules_from(district_data))
        app.config.setdefault("ACCESSIBILITY", district.accessibility_from(district_data))
        app.config.setdefault("PUBLICATION", district.publication_from(district_data))

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    WTFormsHelpers(app)

    from . import models  # noqa: F401  (registers the tables with the metadata)
    from .admin.views import bp as admin_bp
    from .auth.views import bp as auth_bp
    from .cameras.map import bp as camera_map_bp
    from .cameras.sites import bp as sites_bp
    from .cameras.views import bp as cameras_bp
    from .guide.views import bp as guide_bp
    from .main.views import bp as main_bp
    from .meetings.papers import bp as papers_bp
    from .meetings.views import bp as meetings_bp
    from .move_requests.views import bp as requests_bp
    from .reports.views import bp as reports_bp

    for blueprint in (main_bp, auth_bp, requests_bp, meetings_bp, papers_bp, cameras_bp, sites_bp, admin_bp):
        app.register_blueprint(blueprint)
    for blueprint in (camera_map_bp, guide_bp, reports_bp):
        app.register_blueprint(blueprint)

    from .web import init_web

    init_web(app)

    from .cli import init_cli

    init_cli(app)
    _check_policies(app)
    return app


def _check_policies(app: Flask) -> None:
    """Refuse to start if any route lacks an access policy (QUALITY.md SEC-1)."""
    from .access import POLICY_ATTR

    missing = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if not hasattr(app.view_functions[rule.endpoint], POLICY_ATTR)
    ]
    if missing:
        raise RuntimeError(f"Routes without an access policy: {', '.join(sorted(missing))}")
