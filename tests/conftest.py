"""Fixtures: an app on a migrated database (SQLite always, PostgreSQL when
TEST_DATABASE_URL is set), a client, and signing in as a role."""

import os
import shutil
import uuid

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from cctv_requests import create_app
from cctv_requests.extensions import db
from config import TestConfig
from tests import factories

# The browser fixtures (Chromium, a live server) live in their own module.
pytest_plugins = ("tests.browser",)

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_HINT = (
    "PostgreSQL tests need TEST_DATABASE_URL, e.g. "
    "postgresql+psycopg://postgres@127.0.0.1:5432/test (apt-get install -y postgresql)"
)


def config_for(url: str, **extra):
    return type("Config", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url, **extra})


def _migrate(url: str) -> None:
    app = create_app(config_for(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "template.sqlite"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url():
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        if IN_CI:
            pytest.fail("CI=true but TEST_DATABASE_URL is not set: " + PG_HINT)
        pytest.skip(PG_HINT)
    url = make_url(base)
    name = f"cctv_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is not reachable at {base}: {exc}")
        pytest.skip(f"PostgreSQL is not reachable at {base}: {exc}")
    test_url = url.set(database=name).render_as_string(hide_password=False)
    _migrate(test_url)
    yield test_url
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        tables = [
            row[0]
            for row in conn.execute(
                sa.text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            )
        ]
        conn.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A migrated, empty database of each kind, one per test."""
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _truncate_postgres(url)
    return url


@pytest.fixture
def app_config(database_url):
    return config_for(database_url)


class FreshContextClient(FlaskClient):
    """Runs each request in an application context of its own, as a real
    server does, so nothing (the signed-in user in ``g``, the database
    session) leaks from the test's context into the request."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def district(app):
    """The default district: 13 wards, 6 cameras, priorities and meetings."""
    return factories.district()


@pytest.fixture
def login_as(client):
    """Sign the test client in as a new user with ``roles`` (or as ``user``)."""

    def sign_in(*roles, user=None):
        user = user or factories.user(*roles)
        with client.session_transaction() as session:
            session["_user_id"] = user.session_token
            session["_fresh"] = True
        return user

    return sign_in


# The tests aimed at the lifecycle rules run first: under `make mutate`
# (pytest -x per mutant) a broken rule is then caught in seconds, not after
# every page test has run. Order only; no test depends on another.
FIRST = ("test_workflow_", "test_access_rules", "test_request_visibility")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: not item.path.name.startswith(FIRST))
