"""Fixtures: the app on SQLite and PostgreSQL, a clean database per test, clients and signed-in staff.

Every test that uses the `app` fixture runs once per database backend. PostgreSQL is used where
TEST_DATABASE_URL or the local server (127.0.0.1:5432, user postgres) answers; under CI it must.

Tables are emptied after each test rather than rolled back: several tests make real concurrent
requests (double submits, a live server for the browser) whose commits a per-test transaction
could not hold.
"""
import os
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from webapp import create_app
from webapp.auth.models import Role, User
from webapp.extensions import db, limiter

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TEST_PASSWORD = "correct horse battery"
BACKENDS = ["sqlite", "postgresql"]


def _postgres_server_url() -> str | None:
    """A URL of a reachable PostgreSQL server for tests, or None."""
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES_URL)
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            return url
    except sa.exc.OperationalError:
        return None
    finally:
        engine.dispose()


@contextmanager
def empty_database(backend: str, directory):
    """Make an empty database on this backend, yield its URL, then drop it."""
    if backend == "sqlite":
        yield "sqlite:///" + str(directory / f"{uuid.uuid4().hex[:12]}.sqlite3")
        return
    server_url = _postgres_server_url()
    if server_url is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not reachable, and CI must test on it")
        pytest.skip("PostgreSQL is not reachable; set TEST_DATABASE_URL to test on it")
    name = f"webapp_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.engine.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """An empty database, made for this test session and dropped after it."""
    with empty_database(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """The application on a database whose schema was built by the migrations."""
    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test secret key",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    application.instance_path = str(tmp_path_factory.mktemp("instance"))
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Empty every table after each test that touched the database."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    with application.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
        limiter.reset()


@pytest.fixture
def app_context(app):
    """An application context, for tests that call services directly."""
    with app.app_context():
        yield


@pytest.fixture
def request_context(app):
    """A request context, for services that word messages in the request's language or build links."""
    with app.test_request_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def _password_hash():
    """Hashing is slow on purpose; hash the test password once per session."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(TEST_PASSWORD)


@pytest.fixture
def make_user(app, _password_hash):
    """Builder: a committed staff account with the test password."""

    def build(role: Role | str = Role.MARKETER, email: str | None = None, name: str = "Test User") -> User:
        with app.app_context():
            user = User(
                email=email or f"{role}-{uuid.uuid4().hex[:8]}@example.com",
                name=name,
                role=Role(role),
                password_hash=_password_hash,
            )
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return build


@pytest.fixture
def sign_in(client, make_user):
    """Sign the test client in as a new account with this role; returns the account."""

    def do_sign_in(role: Role | str = Role.MARKETER) -> User:
        user = make_user(role)
        response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return do_sign_in
