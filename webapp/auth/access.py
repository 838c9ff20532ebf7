"""Access rules for staff pages, as decorators on views."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from webapp.auth.models import Role


def role_required(*roles: Role):
    """Let signed-in staff with one of these roles (or admins) in; send others to sign-in or a 403 page."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
