"""The one place where a web request's database work is committed or rolled back.

Views and services only add and flush; a request that ends well (status below 400) is
committed here, anything else is rolled back, so a failed request leaves nothing half-written.
CLI commands and jobs, which have no request, commit at the end of their own work.
"""
from flask import Flask, Response

from webapp.extensions import db


def init_app(app: Flask) -> None:
    @app.after_request
    def commit_or_roll_back(response: Response) -> Response:
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response
