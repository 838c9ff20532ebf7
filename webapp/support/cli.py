"""`flask support tokens ...`: API tokens for help-desk systems that post complaints."""
import click
from flask.cli import AppGroup
from sqlalchemy import select

from webapp.extensions import db
from webapp.support.models import ApiToken
from webapp.support.services import TokenNameTaken, create_api_token, revoke_api_token

support_cli = AppGroup("support", help="The support workspace.")
tokens_cli = AppGroup("tokens", help="API tokens for POST /api/complaints.")
support_cli.add_command(tokens_cli)


@tokens_cli.command("create")
@click.option("--name", required=True, help="Who uses the token, e.g. helpdesk.")
def create_command(name: str) -> None:
    """Make a token and print it once: only its digest is kept."""
    try:
        _token, secret = create_api_token(name)
    except TokenNameTaken as error:
        click.echo(f"Error: {error}", err=True)
        raise click.exceptions.Exit(2) from None
    db.session.commit()
    click.echo(f"Token {name.strip()!r} created. Copy it now; it cannot be shown again:")
    click.echo(secret)


@tokens_cli.command("list")
def list_command() -> None:
    """Show each token's name, when it was made and last used, and whether it is revoked."""
    for token in db.session.scalars(select(ApiToken).order_by(ApiToken.name)):
        state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "live"
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        click.echo(f"{token.name}  created {token.created_at:%Y-%m-%d}  last used {used}  {state}")


@tokens_cli.command("revoke")
@click.option("--name", required=True)
def revoke_command(name: str) -> None:
    """Stop a token from working."""
    if not revoke_api_token(name):
        click.echo(f"Error: no live token named {name!r}", err=True)
        raise click.exceptions.Exit(2)
    db.session.commit()
    click.echo(f"Token {name!r} revoked.")


@support_cli.command("retrain")
@click.option("--force", is_flag=True, help="Retrain even if staff labels did not change since the last release.")
def retrain_command(force: bool) -> None:
    """Retrain the classifier from staff labels now; publish it only if it does as well on the check set."""
    from webapp.support.learning import retrain_from_staff_labels

    outcome = retrain_from_staff_labels(actor="cli", force=force)
    if outcome is None:
        click.echo("Nothing to retrain: too few staff labels, or none changed since the last release "
                   "(--force retrains anyway).")
        return
    click.echo(outcome.describe())
