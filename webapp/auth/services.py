"""Creating staff accounts and checking their credentials."""
from sqlalchemy import func, select

from webapp.auth.models import Role, User
from webapp.database import utcnow
from webapp.extensions import db

MIN_PASSWORD_LENGTH = 10


class AccountError(ValueError):
    """A staff account cannot be created or changed as asked; the message says why."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def create_user(email: str, name: str, password: str, role: Role | str) -> User:
    """Add a staff account; the caller commits."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise AccountError(f"An account for {email} already exists.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(f"Unknown role {role!r}; choose one of {', '.join(Role)}.") from None
    user = User(email=email, name=name.strip() or email, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account with these credentials, or None."""
    user = find_user_by_email(email)
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_sign_in_at = utcnow()
    return user
