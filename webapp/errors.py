"""Error pages: a clear page for each status, JSON for clients that ask for JSON."""
from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from webapp.extensions import db

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please check what you sent.")),
    403: (_l("Not allowed"), _l("Your account does not have access to this page.")),
    404: (_l("Not found"), _l("There is nothing here. The link may be mistyped or out of date.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (_l("Too large"), _l("What you sent is too large. Please send a smaller file or shorter text.")),
    422: (_l("Cannot process"), _l("Some of what you sent is not valid.")),
    429: (_l("Too many requests"), _l("Too many attempts from your connection. Please try again later.")),
    500: (_l("Something went wrong"), _l("We could not finish your request. Nothing was saved; please try again.")),
}


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.is_json or (best == "application/json" and not request.accept_mimetypes.accept_html)


def render_error(error: HTTPException):
    """Render an HTTP error as a page in the interface language, or as JSON for API clients."""
    status = error.code or 500
    title, message = MESSAGES.get(status, (error.name, error.description))
    if isinstance(error, CSRFError):
        title, message = _l("Form expired"), _l(
            "This form was open too long or came from another page. Please reload the page and try again."
        )
    if wants_json():
        return {"error": str(title), "message": str(message), "status": status}, status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # Nothing half-written may survive an unexpected failure.
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError())
