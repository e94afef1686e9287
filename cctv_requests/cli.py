"""Command line: init, demo-data and create-user."""

from datetime import date

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask_migrate import upgrade

from . import audit
from .auth.passwords import hash_password, password_problem
from .extensions import db
from .models import ROLES, User
from .services import demo, district


def init_cli(app: Flask) -> None:
    @app.cli.command("init")
    @click.option("--config", "config_path", default=None, help="District configuration file (TOML).")
    def init_command(config_path):
        """Migrate the database and load the district configuration."""
        data = district.load(config_path or current_app.config.get("DISTRICT_CONFIG"))
        upgrade()
        added = district.apply(data, date.today())
        click.echo(
            "Database ready. Added {wards} wards, {cameras} cameras, {priorities} priorities, "
            "{meetings} meetings.".format(**added)
        )

    @app.cli.command("demo-data")
    @click.option("--password", required=True, help="Password for every demo user (12 characters or more).")
    def demo_data_command(password):
        """Create one demo user per role and sample requests (not in production)."""
        if not current_app.config.get("DEMO_DATA_ALLOWED"):
            raise click.ClickException("Demo data is refused in the production configuration.")
        problem = password_problem(password)
        if problem:
            raise click.ClickException(problem)
        users = demo.ensure_users(password)
        made = demo.create_sample_requests(users, date.today())
        click.echo(f"Demo users ready ({len(users)}). Sample requests created: {made}.")

    meetings_group = click.Group("meetings", help="Plan the board's meetings and build their agendas.")
    app.cli.add_command(meetings_group)

    @meetings_group.command("plan")
    @click.argument("year", type=click.IntRange(2000, 2100))
    def plan_meetings_command(year):
        """Plan YEAR's ordinary meetings from the district configuration."""
        from .services import agendas, meetings

        planned = meetings.plan_year(year, date.today())
        agendas.build(date.today())
        if not planned:
            click.echo(f"Nothing to plan: {year} already has its meetings, or their dates have passed.")
        for meeting in planned:
            click.echo(
                f"Planned {meeting.meets_on:%A %-d %B %Y}: papers cut-off {meeting.cutoff_on:%-d %B %Y}, "
                f"agenda published {meeting.publish_on:%-d %B %Y}."
            )

    @meetings_group.command("build-agendas")
    def build_agendas_command():
        """Put endorsed requests and due reviews on the next agendas (run daily)."""
        from .services import agendas

        built = agendas.build(date.today())
        placed, reviews = len(built.placed), len(built.reviews)
        click.echo(
            f"Placed {placed} {'request' if placed == 1 else 'requests'} and "
            f"{reviews} {'review' if reviews == 1 else 'reviews'} on agendas."
        )

    @app.cli.command("create-user")
    @click.argument("email")
    @click.option("--name", required=True)
    @click.option("--organisation", default="")
    @click.option(
        "--role", "roles", multiple=True, type=click.Choice(ROLES), help="Repeat for several roles."
    )
    @click.password_option()
    def create_user_command(email, name, organisation, roles, password):
        """Add a user with the given roles."""
        problem = password_problem(password)
        if problem:
            raise click.ClickException(problem)
        email = email.strip().lower()
        if db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email)):
            raise click.ClickException(f"A user with the email {email} already exists.")
        user = User(email=email, name=name, organisation=organisation, password_hash=hash_password(password))
        user.set_roles(roles)
        db.session.add(user)
        db.session.flush()
        audit.record("user.created", object_type="user", object_id=user.id, roles=sorted(roles))
        db.session.commit()
        click.echo(f"Created {email} with roles: {', '.join(sorted(roles)) or 'none'}.")
