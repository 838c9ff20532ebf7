"""Staff pages for reading and exporting a survey's answers."""
from flask import Blueprint, current_app, render_template, request

from webapp.answers import services
from webapp.answers.forms import AnswerFilterForm
from webapp.answers.services import FilterError
from webapp.auth.access import role_required
from webapp.auth.models import Role
from webapp.csv_export import csv_download
from webapp.extensions import db
from webapp.surveys.forms import KIND_NAMES
from webapp.surveys.models import Survey

bp = Blueprint("answers", __name__, template_folder="templates")


def _filtered(survey_id: int):
    """The survey, the filter form from the query string, and the checked filters (None when one is unknown)."""
    survey = db.get_or_404(Survey, survey_id)
    form = AnswerFilterForm(survey, formdata=request.args)
    try:
        filters = services.answer_filters(survey, request.args.get("stage"), request.args.get("language"))
    except FilterError as error:
        form[error.field].errors = [str(error)]
        filters = None
    return survey, form, filters


def _render_filter_problem(survey: Survey, form: AnswerFilterForm):
    return render_template("answers/index.html", survey=survey, form=form, page=None, answers={},
                           filter_params={}, language=services.survey_language(survey)), 400


@bp.route("/surveys/<int:survey_id>/answers")
@role_required(Role.MARKETER)
def index(survey_id: int):
    """The survey's responses, newest first, with their answers; filterable by stage and language."""
    survey, form, filters = _filtered(survey_id)
    if filters is None:
        return _render_filter_problem(survey, form)
    page = db.paginate(services.responses_query(survey, filters), page=request.args.get("page", 1, type=int),
                       per_page=current_app.config["ANSWERS_PER_PAGE"], error_out=False)
    filter_params = {name: request.args[name] for name in ("stage", "language") if request.args.get(name)}
    return render_template(
        "answers/index.html", survey=survey, form=form, page=page, filter_params=filter_params,
        answers=services.answers_by_response(page.items, filters), language=services.survey_language(survey),
        answer_value=services.answer_value, customer_reference=services.customer_reference, kind_names=KIND_NAMES,
    )


@bp.route("/surveys/<int:survey_id>/answers.csv")
@role_required(Role.MARKETER)
def export(survey_id: int):
    """Download the filtered answers as CSV, one row per answer."""
    survey, form, filters = _filtered(survey_id)
    if filters is None:
        return _render_filter_problem(survey, form)
    return csv_download(f"answers-survey-{survey.id}.csv", services.EXPORT_HEADER,
                        services.export_rows(survey, filters), byte_order_mark=True)
