"""`flask users ...`: manage staff accounts from the shell."""
import sys

import click
from flask.cli import AppGroup

from webapp.auth.models import Role
from webapp.auth.services import AccountError, create_user
from webapp.extensions import db

users_cli = AppGroup("users", help="Manage staff accounts.")


@users_cli.command("create")
@click.option("--email", required=True, help="Sign-in e-mail address.")
@click.option("--name", default="", help="Display name (defaults to the e-mail).")
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Initial password (asked for when not given).")
def create_command(email: str, name: str, role: str, password: str) -> None:
    """Create a staff account with a role."""
    try:
        user = create_user(email, name, password, role)
    except AccountError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
    db.session.commit()
    click.echo(f"Created {user.role.value} account {user.email}.")
