"""Staff and customer pages of this feature."""
from flask import Blueprint

bp = Blueprint("invitations", __name__, template_folder="templates")
