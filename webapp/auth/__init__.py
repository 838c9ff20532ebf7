"""Staff accounts, sign-in and roles."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from webapp.auth.cli import users_cli
from webapp.auth.models import Role, User
from webapp.auth.routes import bp
from webapp.extensions import db, login_manager


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.session_protection = "strong"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    app.register_blueprint(bp)
    app.cli.add_command(users_cli)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


__all__ = ["Role", "User", "init_app"]
