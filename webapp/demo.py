"""`flask demo`: a journey map with a survey and realistic answers, for a first look."""
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Load demo data.")
