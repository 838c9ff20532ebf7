"""Staff pages for inviting customers to a survey: one by one, from a CSV file, listed and exported."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.auth.access import role_required
from webapp.auth.models import Role
from webapp.csv_export import csv_download
from webapp.errors import render_error
from webapp.extensions import db
from webapp.invitations import services
from webapp.invitations.forms import ImportForm, InvitationForm
from webapp.invitations.services import CSV_COLUMNS, MAX_IMPORT_ROWS, InvitationError, InvitationStatus
from webapp.maps.models import Persona
from webapp.surveys.models import Survey

bp = Blueprint("invitations", __name__, template_folder="templates")

INVITATIONS_PER_PAGE = 50


def _attach_error(form, error: InvitationError) -> None:
    """Show a service's refusal next to the field it concerns, or above the form."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _status(form) -> int:
    """200 for a form shown fresh, 422 for one sent back with errors."""
    return 200 if request.method == "GET" else 422


@bp.route("/surveys/<int:survey_id>/invitations")
@role_required(Role.MARKETER)
def index(survey_id: int):
    """List the survey's invitations with their links, 50 a page, optionally only those with one status."""
    survey = db.get_or_404(Survey, survey_id)
    status = request.args.get("status") or None
    if status is not None and status not in InvitationStatus.ALL:
        return render_template(
            "invitations/index.html", survey=survey, status=None, page=None, counts=services.status_counts(survey),
            problem=_("There is no invitation status “%(status)s”. Choose one of the filters above.", status=status),
        ), 400
    page = db.paginate(services.invitations_query(survey, status), page=request.args.get("page", 1, type=int),
                       per_page=INVITATIONS_PER_PAGE, error_out=False)
    return render_template("invitations/index.html", survey=survey, status=status, page=page,
                           counts=services.status_counts(survey), link=services.personal_link, problem=None)


@bp.route("/surveys/<int:survey_id>/invitations/new", methods=["GET", "POST"])
@role_required(Role.MARKETER)
def new(survey_id: int):
    """Invite one customer."""
    survey = db.get_or_404(Survey, survey_id)
    form = InvitationForm(survey)
    if form.validate_on_submit():
        persona = db.session.get(Persona, form.persona.data) if form.persona.data else None
        try:
            invitation = services.create_invitation(
                survey, external_id=form.external_id.data or "", email=form.email.data or "",
                name=form.name.data or "", language=form.language.data, order_id=form.order_id.data or "",
                persona=persona,
            )
        except InvitationError as error:
            _attach_error(form, error)
        else:
            flash(_("Invitation created for %(customer)s. Its link is at the top of the list.",
                    customer=invitation.name or invitation.external_id or invitation.email), "success")
            return redirect(url_for("invitations.index", survey_id=survey.id))
    return render_template("invitations/new.html", survey=survey, form=form), _status(form)


def _render_import(survey: Survey, form: ImportForm, report: services.ImportReport | None = None, status: int = 200):
    return render_template("invitations/import.html", survey=survey, form=form, report=report,
                           columns=CSV_COLUMNS, max_rows=MAX_IMPORT_ROWS,
                           max_megabytes=current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)), status


@bp.route("/surveys/<int:survey_id>/invitations/import", methods=["GET", "POST"])
@role_required(Role.MARKETER)
def import_csv(survey_id: int):
    """Invite every customer of an uploaded CSV file and report the rows that could not be imported."""
    survey = db.get_or_404(Survey, survey_id)
    form = ImportForm()
    if form.validate_on_submit():
        try:
            report = services.import_invitations(survey, form.file.data.read())
        except InvitationError as error:
            _attach_error(form, error)
        else:
            # 200 even with failed rows: the good rows are committed.
            return _render_import(survey, ImportForm(formdata=None), report)
    return _render_import(survey, form, status=_status(form))


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge):
    """An upload over the size limit: the import page again, saying how large a file may be."""
    # The limit is checked while the body is read, which CSRF protection does before the view's role check.
    if request.endpoint != "invitations.import_csv" or not current_user.is_authenticated \
            or not current_user.has_role(Role.MARKETER):
        return render_error(error)
    survey = db.get_or_404(Survey, request.view_args["survey_id"])
    form = ImportForm(formdata=None)  # the oversized body must not be read again
    megabytes = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
    form.file.errors = [_("The file is larger than %(size)d MB. Split it into smaller files and upload each.",
                          size=megabytes)]
    return _render_import(survey, form, status=413)


@bp.route("/surveys/<int:survey_id>/invitations.csv")
@role_required(Role.MARKETER)
def export(survey_id: int):
    """Download every invitation of the survey with its link, for a mailing tool."""
    survey = db.get_or_404(Survey, survey_id)
    return csv_download(f"invitations-survey-{survey.id}.csv", services.EXPORT_HEADER, services.export_rows(survey))
