"""The one place where a web request's database work is committed or rolled back.

Views and services only add and flush; a request that ends well (status below 400) is
committed here, anything else is rolled back, so a failed request leaves nothing half-written.
CLI commands and jobs, which have no request, commit at the end of their own work.
"""
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, Response
from sqlalchemy.dialects import postgresql, sqlite

from webapp.extensions import db


def init_app(app: Flask) -> None:
    @app.after_request
    def commit_or_roll_back(response: Response) -> Response:
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response


@contextmanager
def job_transaction() -> Iterator[None]:
    """Commit the work done inside, or roll all of it back: for jobs, which have no request to do it for them."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def upsert(target):
    """An INSERT with ON CONFLICT support for the session's database (both dialects spell it the same).

    It inserts into a table (or a model's table), not the model, so that many rows go through SQLAlchemy
    Core's cached multi-row statements rather than being compiled anew for every batch.
    """
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(getattr(target, "__table__", target))
