"""`flask analysis ...`: classification from the command line (see ../shared/CONTRACTS.md)."""
import click
from flask.cli import AppGroup

analysis_cli = AppGroup("analysis", help="Classify texts and evaluate the classifier.")
