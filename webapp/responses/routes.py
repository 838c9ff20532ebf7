"""Customer pages: a survey answered through a personal or open link, in the customer's language."""
from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, NotFound

from webapp.errors import render_error, wants_json
from webapp.extensions import limiter
from webapp.invitations.models import Invitation
from webapp.responses import services
from webapp.responses.forms import survey_form_class
from webapp.surveys.models import Survey, SurveyVersion

bp = Blueprint("responses", __name__, template_folder="templates")

# Customer wording for the errors a survey page can meet (400: the form's CSRF token expired).
CUSTOMER_ERRORS = {
    400: (_l("Please try again"), _l("The survey page was open for too long. Please reload it; your answers are "
                                     "still on the page.")),
    404: (_l("Survey not found"), _l("This survey link does not work. Please check that you opened the whole "
                                     "link from your message.")),
    413: (_l("Too long"), _l("Your answers are too long to send. Please shorten them and try again.")),
    429: (_l("Please wait a moment"), _l("Many answers came from your connection in a short time. Please try "
                                         "again a little later.")),
}


def open_link_rate_limit() -> str:
    return current_app.config["OPEN_LINK_RATE_LIMIT"]


def use_language(language: str) -> str:
    """Show this request's labels, buttons and messages in the customer's language."""
    g.page_language = language
    refresh()
    return language


def customer_language(survey: Survey | None, invitation: Invitation | None = None) -> str:
    """The language for this survey page: chosen on the page, the invitation's, the browser's, the default."""
    version = survey.live_version if survey is not None else None
    if version is not None:
        available, default = version.languages, version.default_language
    else:
        available, default = list(current_app.config["LANGUAGES"]), current_app.config["BABEL_DEFAULT_LOCALE"]
    accepted = [language for language, _quality in request.accept_languages]
    invitation_language = invitation.language if invitation is not None else None
    return use_language(
        services.choose_language(available, default, request.args.get("lang"), invitation_language, accepted)
    )


def render_customer(template: str, survey: Survey | None, status: int = 200, **context):
    """Render a customer page with the survey's title and language switcher."""
    version = survey.live_version if survey is not None else None
    language = g.page_language
    context.setdefault("title", version.text("title", language) if version is not None else "")
    return render_template(
        template,
        version=version,
        survey_languages=version.languages if version is not None else [],
        status_code=status,
        **context,
    ), status


def invitation_or_404(token: str) -> Invitation:
    """The invitation of a personal link, or the customer's 404 page."""
    invitation = services.find_invitation(token)
    if invitation is None:
        abort(404)
    return invitation


def open_survey_or_404(token: str) -> Survey:
    """The survey of an open link that is turned on, or the customer's 404 page."""
    survey = services.find_open_survey(token)
    if survey is None:
        abort(404)
    return survey


def _link_survey() -> tuple[Survey | None, Invitation | None]:
    """The survey (and invitation) of the link this request is for, if the link works."""
    token = (request.view_args or {}).get("token")
    if not token:
        return None, None
    if request.endpoint in ("responses.personal_link", "responses.personal_thanks"):
        invitation = services.find_invitation(token)
        return (invitation.survey if invitation is not None else None), invitation
    return services.find_open_survey(token), None


@bp.errorhandler(CSRFError)
@bp.errorhandler(404)
@bp.errorhandler(413)
@bp.errorhandler(429)
def customer_error(error: HTTPException):
    """An error met on a survey page, on a customer page in the customer's language."""
    if wants_json():
        return render_error(error)
    survey, invitation = _link_survey() if not isinstance(error, NotFound) else (None, None)
    if not g.get("page_language"):
        customer_language(survey, invitation)
    title, message = CUSTOMER_ERRORS[error.code]
    return render_customer("responses/message.html", survey, error.code, title=title, message=message)


def _survey_page(survey: Survey, token: str, invitation: Invitation | None, thanks_endpoint: str):
    """Show the survey's form, or store the answers and send the customer to the thank-you page."""
    version: SurveyVersion | None = survey.live_version
    language = g.page_language
    if not survey.is_open:
        return render_customer("responses/closed.html", survey, 410)
    form = survey_form_class(version, language)()
    if form.validate_on_submit():
        try:
            services.submit_response(version, form.answers(), language, invitation=invitation,
                                     submission_key=form.submission_key.data)
        except services.AlreadyAnswered:
            pass  # a double click or a retry: the first submit was stored, thank the customer again
        return redirect(url_for(thanks_endpoint, token=token, lang=language))
    return render_customer(
        "responses/survey.html", survey, 200 if request.method == "GET" else 422,
        form=form, draft_key=_draft_key(token),
    )


@bp.route("/r/<token>", methods=["GET", "POST"])
def personal_link(token: str):
    """A customer's personal link: the survey once, then a thank-you or "already answered" page."""
    invitation = invitation_or_404(token)
    survey = invitation.survey
    customer_language(survey, invitation)
    if invitation.answered_at is not None:
        if request.method == "POST":
            return redirect(url_for("responses.personal_thanks", token=token, lang=g.page_language))
        return render_customer("responses/answered.html", survey, draft_key=_draft_key(token))
    if request.method == "GET":
        services.record_open(invitation)
    return _survey_page(survey, token, invitation, "responses.personal_thanks")


@bp.route("/r/<token>/thanks")
def personal_thanks(token: str):
    """The thank-you page after a personal link was answered."""
    invitation = invitation_or_404(token)
    customer_language(invitation.survey, invitation)
    if invitation.answered_at is None:
        return redirect(url_for("responses.personal_link", token=token, lang=request.args.get("lang")))
    return render_customer("responses/thanks.html", invitation.survey, draft_key=_draft_key(token))


@bp.route("/o/<token>", methods=["GET", "POST"])
@limiter.limit(open_link_rate_limit, methods=["POST"])
def open_link(token: str):
    """A survey's open link: anyone may answer, each rendered form is stored at most once."""
    survey = open_survey_or_404(token)
    customer_language(survey)
    return _survey_page(survey, token, None, "responses.open_thanks")


@bp.route("/o/<token>/thanks")
def open_thanks(token: str):
    """The thank-you page after answering through an open link."""
    survey = open_survey_or_404(token)
    customer_language(survey)
    return render_customer("responses/thanks.html", survey, draft_key=_draft_key(token))


def _draft_key(token: str) -> str:
    """Where the browser keeps what was typed on this link before submitting (see survey-draft.js)."""
    return f"journey-voice:draft:{token}"
