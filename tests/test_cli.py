"""The command line: init, demo-data, create-user and the meetings commands."""

import sqlalchemy as sa

from cctv_requests import create_app
from cctv_requests.extensions import db
from cctv_requests.models import Camera, Deployment, Meeting, MoveRequest, Priority, User, Ward
from config import ProductionConfig


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_init_loads_the_district_once(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "Added 13 wards, 6 cameras" in result.output
    assert count(Ward) == 13 and count(Camera) == 6
    assert count(Deployment) == 5  # one camera starts in store
    assert "Hate crime and Counter terrorism" in db.session.scalars(sa.select(Priority.name)).all()
    again = runner.invoke(args=["init"])
    assert "Added 0 wards, 0 cameras, 0 priorities, 0 meetings" in again.output
    assert count(Ward) == 13 and count(Meeting) >= 1


def test_init_refuses_an_unreadable_district_file(app, tmp_path):
    broken = tmp_path / "district.toml"
    broken.write_text("wards = [")
    result = app.test_cli_runner().invoke(args=["init", "--config", str(broken)])
    assert result.exit_code != 0
    assert "Cannot read the district configuration" in str(result.exception or result.output)


def test_demo_data_makes_a_user_per_role_and_requests_in_several_states(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["init"])
    result = runner.invoke(args=["demo-data", "--password", "demo-password-123"])
    assert result.exit_code == 0, result.output
    emails = set(db.session.scalars(sa.select(User.email)))
    for role in ("officer", "sponsor", "board", "chair", "coordinator", "councillor", "admin"):
        assert f"{role}@example.org" in emails
    states = set(db.session.scalars(sa.select(MoveRequest.status)))
    # Endorsed requests join the next agenda by themselves, and the urgent one
    # is approved by chair's action.
    assert {"draft", "submitted", "returned", "on_agenda", "approved", "rejected", "live"} <= states
    # Running it again resets passwords and adds no duplicate requests.
    before = count(MoveRequest)
    assert runner.invoke(args=["demo-data", "--password", "demo-password-456"]).exit_code == 0
    assert count(MoveRequest) == before


def test_demo_data_is_refused_in_production(database_url):
    config = type(
        "Prod", (ProductionConfig,), {"SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": database_url}
    )
    app = create_app(config)
    result = app.test_cli_runner().invoke(args=["demo-data", "--password", "demo-password-123"])
    assert result.exit_code != 0
    assert "refused in the production configuration" in result.output
    with app.app_context():
        db.engine.dispose()


def test_production_refuses_to_start_without_a_secret_key(database_url):
    config = type("Prod", (ProductionConfig,), {"SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": database_url})
    try:
        create_app(config)
    except RuntimeError as error:
        assert "SECRET_KEY" in str(error)
    else:
        raise AssertionError("started without a secret key")


def test_create_user_with_roles_and_a_long_enough_password(app):
    runner = app.test_cli_runner()
    short = runner.invoke(
        args=["create-user", "x@example.org", "--name", "X", "--role", "officer", "--password", "short"]
    )
    assert short.exit_code != 0 and "12 characters or more" in short.output
    made = runner.invoke(
        args=["create-user", "Sam@Example.org", "--name", "Sam", "--role", "sponsor", "--role", "officer",
              "--password", "a long enough password"]
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    user = db.session.scalar(sa.select(User).where(User.email == "sam@example.org"))
    assert user.roles == {"sponsor", "officer"}
    assert user.password_hash.startswith("$argon2id$")


def test_another_district_replaces_the_file_not_the_code(database_url, tmp_path):
    from tests.conftest import config_for

    district_file = tmp_path / "dacorum.toml"
    district_file.write_text(
        'council_name = "Dacorum Borough Council"\nwards = ["Adeyfield West", "Bovingdon"]\n'
        '[[cameras]]\nasset_tag = "DBC-1"\nname = "Camera A"\nward = "Bovingdon"\nstreet = "High Street"\n'
        'exact_location = "Lamp column 2"\n'
    )
    app = create_app(config_for(database_url, DISTRICT_CONFIG=str(district_file)))
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["init"])
        assert "Added 2 wards, 1 cameras" in result.output
        assert db.session.scalars(sa.select(Ward.name).order_by(Ward.name)).all() == [
            "Adeyfield West",
            "Bovingdon",
        ]
        page = app.test_client().get("/sign-in").get_data(as_text=True)
        assert "Dacorum Borough Council" in page and "Three Rivers" not in page
        db.session.remove()
        db.engine.dispose()


def test_the_daily_build_puts_waiting_requests_and_due_reviews_on_the_next_agenda(app):
    from datetime import date, timedelta

    from cctv_requests.models import AgendaItem
    from tests import factories

    today = date.today()
    meeting = factories.meeting(today + timedelta(days=40))
    waiting = factories.move_request(status="endorsed")
    live = factories.move_request(status="live", review_due=today + timedelta(days=5))
    result = app.test_cli_runner().invoke(args=["meetings", "build-agendas"])
    assert result.exit_code == 0, result.output
    assert "Placed 1 request and 1 review on agendas." in result.output
    items = db.session.execute(
        sa.select(AgendaItem.move_request_id, AgendaItem.kind).where(AgendaItem.meeting_id == meeting.id)
    ).all()
    assert sorted(items) == sorted([(waiting.id, "request"), (live.id, "review")])
    again = app.test_cli_runner().invoke(args=["meetings", "build-agendas"])
    assert "Placed 0 requests and 0 reviews on agendas." in again.output
