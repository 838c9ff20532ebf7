"""Staff pages for journey maps."""
from flask import Blueprint, render_template
from sqlalchemy import select

from webapp.auth.access import role_required
from webapp.auth.models import Role
from webapp.extensions import db
from webapp.maps.models import JourneyMap

bp = Blueprint("maps", __name__, template_folder="templates")


@bp.route("/")
@role_required(Role.MARKETER, Role.SUPPORT)
def index():
    """List journey maps."""
    journey_maps = db.session.scalars(select(JourneyMap).order_by(JourneyMap.name)).all()
    return render_template("maps/index.html", journey_maps=journey_maps)
