"""Surveys with personal and open links, committed so that requests (and threads) see them."""
import uuid
from dataclasses import dataclass

import pytest

from tests.builders import build_invitation, build_survey
from webapp.extensions import db
from webapp.surveys.models import QuestionKind


@dataclass
class SurveyLink:
    survey_id: int
    version_id: int
    token: str  # the invitation's token, or the open link's
    url: str
    fields: dict[QuestionKind, str]  # form field name of each kind of question

    def valid_answers(self, **extra) -> dict:
        """A complete, valid submission of the builders' survey."""
        data = {
            "submission_key": uuid.uuid4().hex,
            self.fields[QuestionKind.CSAT]: "4",
            self.fields[QuestionKind.TEXT]: "Płatność kartą działała bez problemu.",
            self.fields[QuestionKind.NPS]: "9",
            self.fields[QuestionKind.CES]: "6",
            self.fields[QuestionKind.SINGLE_CHOICE]: "card",
            self.fields[QuestionKind.MULTIPLE_CHOICE]: ["price", "speed"],
            self.fields[QuestionKind.EMOTION]: ["relief", "joy"],
        }
        data.update(extra)
        return data


def _link(survey, token: str, url: str) -> SurveyLink:
    version = survey.live_version or survey.draft_version
    return SurveyLink(
        survey_id=survey.id,
        version_id=version.id,
        token=token,
        url=url,
        fields={QuestionKind(q.kind): f"q{q.id}" for q in version.questions},
    )


@pytest.fixture
def personal_link(app):
    """Builder: a committed survey with an invitation in this language; returns its SurveyLink."""

    def make(language: str | None = "pl", **survey_options) -> SurveyLink:
        with app.app_context():
            survey = build_survey(**survey_options)
            invitation = build_invitation(survey, language=language)
            link = _link(survey, invitation.token, f"/r/{invitation.token}")
            db.session.commit()
            return link

    return make


@pytest.fixture
def open_link(app):
    """Builder: a committed survey whose open link is on; returns its SurveyLink."""

    def make(**survey_options) -> SurveyLink:
        with app.app_context():
            survey = build_survey(open_link=True, **survey_options)
            link = _link(survey, survey.open_link_token, f"/o/{survey.open_link_token}")
            db.session.commit()
            return link

    return make
