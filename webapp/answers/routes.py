"""Staff pages for reading and exporting a survey's answers."""
from flask import Blueprint

bp = Blueprint("answers", __name__, template_folder="templates")
