"""Staff pages for building, translating and publishing surveys."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.auth.access import role_required
from webapp.auth.models import Role
from webapp.extensions import db
from webapp.maps.models import JourneyMap, Stage, Touchpoint
from webapp.surveys import services
from webapp.surveys.forms import (
    KIND_NAMES,
    NewSurveyForm,
    SurveySettingsForm,
    form_data_from_texts,
    question_form,
    question_form_data,
    survey_texts_form,
    texts_from_form,
)
from webapp.surveys.models import Question, QuestionKind, Survey
from webapp.surveys.services import QUESTION_TEXT_FIELDS, SURVEY_TEXT_FIELDS, SurveyError

bp = Blueprint("surveys", __name__, template_folder="templates")


def _form_status() -> int:
    """200 for a form shown fresh, 422 for one sent back with errors."""
    return 200 if request.method == "GET" else 422


def _attach_error(form, error: SurveyError) -> None:
    """Show a service's refusal next to the field it concerns, or above the form."""
    if error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _no_draft(survey: Survey):
    """Back to the overview of a survey that has no draft to edit, saying how to start one."""
    flash(_("This survey has no draft. Use “Edit survey” to start one."), "warning")
    return redirect(url_for("surveys.show", survey_id=survey.id))


def _question_of(survey: Survey, question_id: int) -> Question:
    question = db.get_or_404(Question, question_id)
    if question.version.survey_id != survey.id:
        abort(404)
    return question


@bp.route("/surveys")
@role_required(Role.MARKETER)
def index():
    """List surveys with their map, state and number of responses."""
    surveys = db.session.scalars(
        select(Survey)
        .options(selectinload(Survey.versions), selectinload(Survey.journey_map))
        .order_by(Survey.created_at.desc(), Survey.id.desc())
    ).all()
    return render_template("surveys/index.html", surveys=surveys, response_counts=services.response_counts())


@bp.route("/surveys/new", methods=["GET", "POST"])
@role_required(Role.MARKETER)
def new():
    """Create a survey for a journey map, with an empty draft."""
    journey_maps = db.session.scalars(select(JourneyMap).order_by(JourneyMap.name)).all()
    form = NewSurveyForm(journey_maps, data={"languages": list(current_app.config["LANGUAGES"]),
                                             "default_language": "en", "journey_map": request.args.get("map_id")})
    if form.validate_on_submit():
        journey_map = db.get_or_404(JourneyMap, form.journey_map.data)
        try:
            survey = services.create_survey(form.name.data, journey_map, form.languages.data,
                                            form.default_language.data)
        except SurveyError as error:
            _attach_error(form, error)
        else:
            flash(_("Survey created. Write its texts and add questions, then publish it."), "success")
            return redirect(url_for("surveys.show", survey_id=survey.id))
    return render_template("surveys/new.html", form=form, journey_maps=journey_maps), _form_status()


def _render_overview(survey: Survey, problems: list[str] | None = None, status: int = 200):
    shown = survey.draft_version or survey.live_version
    token = survey.open_link_token
    return render_template(
        "surveys/show.html",
        survey=survey,
        shown=shown,
        problems=problems or [],
        publishers=services.publishers(survey),
        response_count=services.response_counts().get(survey.id, 0),
        kind_names=KIND_NAMES,
        open_link_url=url_for("responses.open_link", token=token, _external=True) if token else None,
    ), status


@bp.route("/surveys/<int:survey_id>")
@role_required(Role.MARKETER)
def show(survey_id: int):
    """The survey overview: state, versions, the draft's texts and questions, links to invitations and answers."""
    return _render_overview(db.get_or_404(Survey, survey_id))


@bp.route("/surveys/<int:survey_id>/settings", methods=["GET", "POST"])
@role_required(Role.MARKETER)
def settings(survey_id: int):
    """Rename the survey and choose the draft's languages."""
    survey = db.get_or_404(Survey, survey_id)
    draft = survey.draft_version
    if draft is None:
        return _no_draft(survey)
    form = SurveySettingsForm(data={"name": survey.name, "languages": draft.languages,
                                    "default_language": draft.default_language})
    if form.validate_on_submit():
        try:
            services.update_draft_settings(survey, form.name.data, form.languages.data, form.default_language.data)
        except SurveyError as error:
            _attach_error(form, error)
        else:
            flash(_("Settings saved."), "success")
            return redirect(url_for("surveys.show", survey_id=survey.id))
    return render_template("surveys/settings.html", form=form, survey=survey), _form_status()


@bp.route("/surveys/<int:survey_id>/texts", methods=["GET", "POST"])
@role_required(Role.MARKETER)
def texts(survey_id: int):
    """Write the draft's title, introduction and thank-you message in each language."""
    survey = db.get_or_404(Survey, survey_id)
    draft = survey.draft_version
    if draft is None:
        return _no_draft(survey)
    form = survey_texts_form(draft.languages, data=form_data_from_texts(draft.texts, draft.languages,
                                                                        SURVEY_TEXT_FIELDS))
    if form.validate_on_submit():
        try:
            services.update_survey_texts(draft, texts_from_form(form, draft.languages, SURVEY_TEXT_FIELDS))
        except SurveyError as error:
            _attach_error(form, error)
        else:
            flash(_("Texts saved."), "success")
            return redirect(url_for("surveys.show", survey_id=survey.id))
    return render_template("surveys/texts.html", form=form, survey=survey, draft=draft), _form_status()


def _question_settings(form) -> services.QuestionSettings:
    """The question a valid question form stands for; the service checks stage and touchpoint fit the survey."""
    return services.QuestionSettings(
        kind=form.kind.data,
        stage=db.get_or_404(Stage, form.stage.data),
        touchpoint=db.get_or_404(Touchpoint, form.touchpoint.data) if form.touchpoint.data else None,
        required=form.required.data,
        texts=texts_from_form(form, form.languages, QUESTION_TEXT_FIELDS),
        options=form.option_labels(),
        max_length=form.max_length.data,
    )


@bp.route("/surveys/<int:survey_id>/questions/new", methods=["GET", "POST"])
@role_required(Role.MARKETER)
def new_question(survey_id: int):
    """Add a question to the draft."""
    survey = db.get_or_404(Survey, survey_id)
    draft = survey.draft_version
    if draft is None:
        return _no_draft(survey)
    kind = request.args.get("kind", QuestionKind.TEXT.value)
    form = question_form(draft.languages, draft.default_language, survey.journey_map,
                         data={"kind": kind if kind in set(QuestionKind) else QuestionKind.TEXT.value})
    if form.validate_on_submit():
        try:
            services.add_question(draft, _question_settings(form))
        except SurveyError as error:
            _attach_error(form, error)
        else:
            flash(_("Question added."), "success")
            return redirect(url_for("surveys.show", survey_id=survey.id, _anchor="questions"))
    return render_template("surveys/question.html", form=form, survey=survey, draft=draft,
                           question=None), _form_status()


@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>", methods=["GET", "POST"])
@role_required(Role.MARKETER)
def edit_question(survey_id: int, question_id: int):
    """Change a question of the draft."""
    survey = db.get_or_404(Survey, survey_id)
    question = _question_of(survey, question_id)
    if question.version.is_frozen:
        flash(_("This question belongs to a published version, which can no longer be changed."), "warning")
        return redirect(url_for("surveys.show", survey_id=survey.id))
    draft = question.version
    form = question_form(draft.languages, draft.default_language, survey.journey_map,
                         data=question_form_data(question))
    if form.validate_on_submit():
        try:
            services.update_question(question, _question_settings(form))
        except SurveyError as error:
            _attach_error(form, error)
        else:
            flash(_("Question saved."), "success")
            return redirect(url_for("surveys.show", survey_id=survey.id, _anchor=f"question-{question.id}"))
    return render_template("surveys/question.html", form=form, survey=survey, draft=draft,
                           question=question), _form_status()


def _refusal(survey: Survey, error: SurveyError):
    """A refused action: the overview again, with the reason, and nothing stored."""
    flash(str(error), "error")
    return _render_overview(survey, status=409)


@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>/move", methods=["POST"])
@role_required(Role.MARKETER)
def move_question(survey_id: int, question_id: int):
    """Move a draft question one place up or down."""
    survey = db.get_or_404(Survey, survey_id)
    question = _question_of(survey, question_id)
    try:
        services.move_question(question, -1 if request.form.get("direction") == "up" else 1)
    except SurveyError as error:
        return _refusal(survey, error)
    return redirect(url_for("surveys.show", survey_id=survey.id, _anchor=f"question-{question.id}"))


@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>/delete", methods=["POST"])
@role_required(Role.MARKETER)
def delete_question(survey_id: int, question_id: int):
    """Remove a question from the draft."""
    survey = db.get_or_404(Survey, survey_id)
    try:
        services.remove_question(_question_of(survey, question_id))
    except SurveyError as error:
        return _refusal(survey, error)
    flash(_("Question removed."), "success")
    return redirect(url_for("surveys.show", survey_id=survey.id, _anchor="questions"))


@bp.route("/surveys/<int:survey_id>/publish", methods=["POST"])
@role_required(Role.MARKETER)
def publish(survey_id: int):
    """Check the draft and, when it is complete, freeze it as the live version."""
    survey = db.get_or_404(Survey, survey_id)
    try:
        version = services.publish_draft(survey, current_user)
    except services.PublishError as error:
        return _render_overview(survey, problems=error.problems, status=422)
    except SurveyError as error:
        return _refusal(survey, error)
    flash(_("Version %(number)d is live. Customers now answer this version.", number=version.number), "success")
    return redirect(url_for("surveys.show", survey_id=survey.id))


def _run_on_survey(survey_id: int, action, success_message: str):
    """Run one service on a survey, then go back to its overview with the outcome."""
    survey = db.get_or_404(Survey, survey_id)
    try:
        action(survey)
    except SurveyError as error:
        return _refusal(survey, error)
    flash(success_message, "success")
    return redirect(url_for("surveys.show", survey_id=survey.id))


@bp.route("/surveys/<int:survey_id>/new-draft", methods=["POST"])
@role_required(Role.MARKETER)
def start_draft(survey_id: int):
    """Start a new draft from the live version."""
    return _run_on_survey(survey_id, services.start_new_draft, _(
        "A new draft was started from the live version. Customers keep answering the live version "
        "until you publish the draft."))


@bp.route("/surveys/<int:survey_id>/discard-draft", methods=["POST"])
@role_required(Role.MARKETER)
def discard_draft(survey_id: int):
    """Throw the draft away, keeping the live version."""
    return _run_on_survey(survey_id, services.discard_draft, _("The draft was discarded."))


@bp.route("/surveys/<int:survey_id>/close", methods=["POST"])
@role_required(Role.MARKETER)
def close(survey_id: int):
    """Stop accepting answers."""
    return _run_on_survey(survey_id, services.close_survey, _("The survey is closed and accepts no more answers."))


@bp.route("/surveys/<int:survey_id>/reopen", methods=["POST"])
@role_required(Role.MARKETER)
def reopen(survey_id: int):
    """Accept answers again."""
    return _run_on_survey(survey_id, services.reopen_survey, _("The survey is open again."))


@bp.route("/surveys/<int:survey_id>/open-link/regenerate", methods=["POST"])
@role_required(Role.MARKETER)
def regenerate_open_link(survey_id: int):
    """Give the open link a new address, revoking the old one."""
    return _run_on_survey(survey_id, services.regenerate_open_link,
                          _("The open link has a new address; the old one no longer works."))


@bp.route("/surveys/<int:survey_id>/open-link", methods=["POST"])
@role_required(Role.MARKETER)
def open_link(survey_id: int):
    """Turn the anonymous open link on or off."""
    survey = db.get_or_404(Survey, survey_id)
    enabled = request.form.get("enabled") == "1"
    services.set_open_link(survey, enabled)
    flash(_("The open link is on.") if enabled else _("The open link is off."), "success")
    return redirect(url_for("surveys.show", survey_id=survey.id, _anchor="sharing"))
