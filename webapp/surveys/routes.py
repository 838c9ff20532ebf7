"""Staff pages for building, translating and publishing surveys."""
from flask import Blueprint, render_template
from sqlalchemy import select

from webapp.auth.access import role_required
from webapp.auth.models import Role
from webapp.extensions import db
from webapp.surveys.models import Survey

bp = Blueprint("surveys", __name__, template_folder="templates")


@bp.route("/surveys")
@role_required(Role.MARKETER)
def index():
    """List surveys with their state."""
    surveys = db.session.scalars(select(Survey).order_by(Survey.created_at.desc())).all()
    return render_template("surveys/index.html", surveys=surveys)
