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
