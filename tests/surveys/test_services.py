"""Survey building rules, tested without HTTP."""
import uuid

import pytest
from sqlalchemy import select

from tests.builders import build_map, build_survey, stage_named
from webapp.auth.models import Role, User
from webapp.extensions import db
from webapp.responses.models import Answer, Response
from webapp.surveys import services
from webapp.surveys.models import Question, QuestionKind, Survey, SurveyVersion
from webapp.surveys.services import PublishError, QuestionSettings, SurveyError

pytestmark = pytest.mark.usefixtures("request_context")

ALL_TEXTS = {"en": {"prompt": "How was delivery?"}, "pl": {"prompt": "Jak dostawa?"}, "ro": {"prompt": "Cum a fost?"}}
PAYMENT_OPTIONS = [
    {"en": "Card", "pl": "Karta", "ro": "Card"},
    {"en": "Bank transfer", "pl": "Przelew", "ro": "Transfer bancar"},
]


def make_publisher() -> User:
    user = User(email=f"m-{uuid.uuid4().hex[:8]}@example.com", name="Maria", role=Role.MARKETER, password_hash="x")
    db.session.add(user)
    db.session.flush()
    return user


def new_survey(languages=("en", "pl", "ro"), default_language="en"):
    return services.create_survey("Delivery survey", build_map(), languages, default_language)


def add_text_question(version, texts=ALL_TEXTS, **changes):
    stage = stage_named(version.survey.journey_map, "Post-purchase service")
    values = {"kind": QuestionKind.TEXT, "stage": stage, "touchpoint": stage.touchpoints[0], "texts": texts}
    return services.add_question(version, QuestionSettings(**(values | changes)))


def rate_prompt(question, prompt) -> QuestionSettings:
    """The question as a CSAT question with a new English prompt."""
    return QuestionSettings(kind=QuestionKind.CSAT, stage=question.stage, texts={"en": {"prompt": prompt}})


def ready_survey():
    """A new survey whose draft can be published: titles in every language, one complete question."""
    survey = new_survey()
    services.update_survey_texts(survey.draft_version, {code: {"title": f"Title {code}"} for code in ("en", "pl", "ro")})
    add_text_question(survey.draft_version)
    return survey


def reload(model, id_):
    db.session.expire_all()
    return db.session.get(model, id_)


def test_create_survey_makes_an_empty_draft_version_1(app_context):
    survey = new_survey(languages=["ro", "en"], default_language="ro")
    draft = survey.draft_version
    assert (draft.number, draft.languages, draft.default_language) == (1, ["en", "ro"], "ro")
    assert survey.live_version is None and draft.questions == []


def test_create_survey_refuses_default_language_outside_its_languages(app_context):
    with pytest.raises(SurveyError, match="default language must be one of"):
        new_survey(languages=["en", "pl"], default_language="ro")


def test_create_survey_refuses_unsupported_language(app_context):
    with pytest.raises(SurveyError, match="Unsupported language: de"):
        new_survey(languages=["en", "de"])


def test_create_survey_needs_a_language(app_context):
    with pytest.raises(SurveyError, match="at least one language"):
        new_survey(languages=[], default_language="en")


def test_add_question_stores_stage_touchpoint_and_texts(app_context):
    survey = new_survey()
    question = add_text_question(survey.draft_version, required=True, max_length=300)
    stored = reload(Question, question.id)
    assert stored.stage.name == "Post-purchase service"
    assert stored.touchpoint.name == "E-mail"
    assert stored.required and stored.max_length == 300
    assert stored.text("prompt", "pl") == "Jak dostawa?"
    assert stored.position == 0 and stored.key


def test_add_question_puts_each_new_question_last(app_context):
    survey = new_survey()
    first, second = add_text_question(survey.draft_version), add_text_question(survey.draft_version)
    assert [q.id for q in reload(SurveyVersion, survey.draft_version.id).questions] == [first.id, second.id]


def test_add_question_refuses_touchpoint_of_another_stage(app_context):
    survey = new_survey()
    cart = stage_named(survey.journey_map, "Purchase").touchpoints[0]
    with pytest.raises(SurveyError, match="is not part of stage") as refusal:
        add_text_question(survey.draft_version, touchpoint=cart)
    assert refusal.value.field == "touchpoint"


def test_add_question_refuses_stage_of_another_map(app_context):
    survey = new_survey()
    other_stage = build_map(name="Other").stages[0]
    with pytest.raises(SurveyError, match="stage of this survey's journey map"):
        add_text_question(survey.draft_version, stage=other_stage, touchpoint=None)


def test_choice_options_get_values_from_the_default_language_label(app_context):
    survey = new_survey(default_language="pl")
    options = [{"pl": "Szybkość dostawy", "en": "Delivery speed"}, {"pl": "Łatwy zwrot", "en": "Easy returns"}]
    question = add_text_question(survey.draft_version, kind=QuestionKind.MULTIPLE_CHOICE, options=options)
    assert reload(Question, question.id).options == [
        {"value": "szybkosc_dostawy", "labels": {"en": "Delivery speed", "pl": "Szybkość dostawy"}},
        {"value": "latwy_zwrot", "labels": {"en": "Easy returns", "pl": "Łatwy zwrot"}},
    ]


@pytest.mark.parametrize("count", [1, 21])
def test_choice_question_needs_2_to_20_options(app_context, count):
    survey = new_survey()
    options = [{"en": f"Option {i}"} for i in range(count)]
    with pytest.raises(SurveyError, match=f"2 to 20 options; this one has {count}"):
        add_text_question(survey.draft_version, kind=QuestionKind.SINGLE_CHOICE, options=options)


def test_choice_options_must_differ(app_context):
    survey = new_survey()
    with pytest.raises(SurveyError, match="Options “Card” and “card” are too much alike"):
        add_text_question(survey.draft_version, kind=QuestionKind.SINGLE_CHOICE,
                          options=[{"en": "Card"}, {"en": "card"}])


def test_choice_option_needs_default_language_label(app_context):
    survey = new_survey()
    with pytest.raises(SurveyError, match="Option 2 has no label in the default language"):
        add_text_question(survey.draft_version, kind=QuestionKind.SINGLE_CHOICE,
                          options=[{"en": "Card"}, {"pl": "Przelew"}])


def test_emotion_picker_keeps_no_options(app_context):
    survey = new_survey()
    question = add_text_question(survey.draft_version, kind=QuestionKind.EMOTION, options=PAYMENT_OPTIONS)
    assert reload(Question, question.id).options == []


@pytest.mark.parametrize("max_length", [0, 5001])
def test_text_answer_length_limit_must_be_1_to_5000(app_context, max_length):
    survey = new_survey()
    with pytest.raises(SurveyError, match="between 1 and 5000"):
        add_text_question(survey.draft_version, max_length=max_length)


def test_update_question_keeps_its_key(app_context):
    survey = new_survey()
    question = add_text_question(survey.draft_version)
    key = question.key
    services.update_question(question, QuestionSettings(kind=QuestionKind.CSAT, stage=question.stage, required=True,
                                                        texts={"en": {"prompt": "Rate delivery"}}))
    stored = reload(Question, question.id)
    assert (stored.key, stored.kind, stored.touchpoint) == (key, QuestionKind.CSAT, None)
    assert stored.text("prompt", "en") == "Rate delivery"
    assert stored.text("prompt", "pl") == "Jak dostawa?"


def test_changing_the_kind_of_a_published_question_gives_it_a_new_key(app_context):
    survey = build_survey()
    draft = services.start_new_draft(survey)
    csat, text = draft.questions[0], draft.questions[1]
    services.update_question(csat, rate_prompt(csat, "Still a rating"))
    services.update_question(text, rate_prompt(text, "Now a rating"))
    live = reload(SurveyVersion, survey.live_version.id)
    assert reload(Question, csat.id).key == live.questions[0].key
    assert reload(Question, text.id).key not in {q.key for q in live.questions}


def test_move_question_up_changes_the_order(app_context):
    survey = new_survey()
    first, second, third = (add_text_question(survey.draft_version) for _ in range(3))
    services.move_question(third, -1)
    assert [q.id for q in reload(SurveyVersion, survey.draft_version.id).questions] == [first.id, third.id, second.id]


def test_move_question_stops_at_the_top(app_context):
    survey = new_survey()
    first, second = add_text_question(survey.draft_version), add_text_question(survey.draft_version)
    services.move_question(first, -1)
    assert [q.id for q in reload(SurveyVersion, survey.draft_version.id).questions] == [first.id, second.id]


def test_remove_question_closes_the_gap(app_context):
    survey = new_survey()
    first, second, third = (add_text_question(survey.draft_version) for _ in range(3))
    services.remove_question(second)
    questions = reload(SurveyVersion, survey.draft_version.id).questions
    assert [(q.id, q.position) for q in questions] == [(first.id, 0), (third.id, 1)]


def test_publishing_problems_name_each_missing_text(app_context):
    survey = new_survey()
    draft = survey.draft_version
    services.update_survey_texts(draft, {"en": {"title": "Delivery"}, "pl": {"title": "Dostawa"}})
    add_text_question(draft, texts={"en": {"prompt": "How was it?"}, "pl": {"prompt": "Jak było?"}})
    add_text_question(draft, kind=QuestionKind.SINGLE_CHOICE, texts=ALL_TEXTS,
                      options=[{"en": "Card", "pl": "Karta", "ro": "Card"}, {"en": "Cash", "pl": "Gotówka"}])
    assert services.publishing_problems(draft) == [
        "The survey has no title in Română.",
        "Question 1 has no prompt in Română.",
        "Question 2 has options without a label in Română.",
    ]


def test_publishing_needs_a_question(app_context):
    survey = new_survey(languages=["en"])
    services.update_survey_texts(survey.draft_version, {"en": {"title": "Delivery"}})
    assert services.publishing_problems(survey.draft_version) == ["Add at least one question."]


def test_publish_draft_freezes_it_as_the_live_version(app_context):
    survey = ready_survey()
    publisher = make_publisher()
    version = services.publish_draft(survey, publisher)
    stored = reload(SurveyVersion, version.id)
    assert stored.is_frozen and stored.published_by_id == publisher.id
    assert stored.survey.live_version == stored and stored.survey.draft_version is None
    assert stored.survey.is_open


def test_publish_draft_with_problems_keeps_the_draft(app_context):
    survey = new_survey()
    with pytest.raises(PublishError) as refusal:
        services.publish_draft(survey, make_publisher())
    assert "Add at least one question." in refusal.value.problems
    assert reload(SurveyVersion, survey.versions[0].id).published_at is None


def test_publish_drops_texts_of_languages_taken_off(app_context):
    survey = ready_survey()
    services.update_draft_settings(survey, "Delivery survey", ["en", "pl"], "en")
    version = services.publish_draft(survey, make_publisher())
    stored = reload(SurveyVersion, version.id)
    assert set(stored.texts) == {"en", "pl"} and set(stored.questions[0].texts) == {"en", "pl"}


CHANGES_TO_A_VERSION = {
    "add_question": lambda version: add_text_question(version),
    "update_question": lambda version: services.update_question(
        version.questions[0], rate_prompt(version.questions[0], "Changed")),
    "move_question": lambda version: services.move_question(version.questions[1], -1),
    "remove_question": lambda version: services.remove_question(version.questions[0]),
    "update_survey_texts": lambda version: services.update_survey_texts(version, {"en": {"title": "Changed"}}),
}


@pytest.mark.parametrize("change", CHANGES_TO_A_VERSION.values(), ids=CHANGES_TO_A_VERSION.keys())
def test_a_published_version_is_never_changed(app_context, change):
    survey = build_survey()
    version = survey.live_version
    before = [(q.id, q.position, q.texts, q.kind) for q in version.questions], dict(version.texts)
    with pytest.raises(SurveyError, match="Version 1 is published and can no longer be changed"):
        change(version)
    stored = reload(SurveyVersion, version.id)
    assert ([(q.id, q.position, q.texts, q.kind) for q in stored.questions], stored.texts) == before


def test_start_new_draft_copies_the_live_version_with_the_same_keys(app_context):
    survey = build_survey()
    live = survey.live_version
    draft = services.start_new_draft(survey)
    assert draft.number == 2 and draft.languages == live.languages and draft.texts == live.texts
    assert [q.key for q in draft.questions] == [q.key for q in live.questions]
    assert {q.id for q in draft.questions}.isdisjoint(q.id for q in live.questions)
    assert [q.options for q in draft.questions] == [q.options for q in live.questions]


def test_editing_the_new_draft_leaves_the_live_version_alone(app_context):
    survey = build_survey()
    live_id = survey.live_version.id
    draft = services.start_new_draft(survey)
    services.update_survey_texts(draft, {"en": {"title": "New title"}})
    services.update_question(draft.questions[0], rate_prompt(draft.questions[0], "New prompt"))
    live = reload(SurveyVersion, live_id)
    assert live.text("title", "en") == "How did it go?"
    assert live.questions[0].text("prompt", "en") == "How satisfied are you?"
    assert reload(SurveyVersion, draft.id).questions[0].text("prompt", "en") == "New prompt"


def test_live_version_serves_customers_until_the_new_draft_is_published(app_context):
    survey = build_survey()
    services.start_new_draft(survey)
    assert survey.live_version.number == 1 and survey.is_open
    services.publish_draft(survey, make_publisher())
    assert reload(Survey, survey.id).live_version.number == 2


def test_old_answers_keep_their_version_and_texts_after_a_new_version(app_context):
    survey = build_survey()
    old_question = survey.live_version.questions[0]
    response = Response(survey=survey, version=survey.live_version, submission_key=uuid.uuid4().hex, language="en")
    response.answers.append(Answer(question=old_question, stage=old_question.stage, language="en", number=4))
    db.session.add(response)
    db.session.flush()

    draft = services.start_new_draft(survey)
    services.update_question(draft.questions[0], rate_prompt(draft.questions[0], "Rate your order"))
    services.publish_draft(survey, make_publisher())

    answer = reload(Response, response.id).answers[0]
    assert answer.question.version.number == 1
    assert answer.question.text("prompt", "en") == "How satisfied are you?"
    assert answer.question.key == reload(SurveyVersion, draft.id).questions[0].key


def test_start_new_draft_refuses_a_second_draft(app_context):
    survey = build_survey()
    services.start_new_draft(survey)
    with pytest.raises(SurveyError, match="already has a draft: version 2"):
        services.start_new_draft(survey)


def test_discard_draft_removes_it_and_its_questions(app_context):
    survey = build_survey()
    draft = services.start_new_draft(survey)
    draft_question_ids = [q.id for q in draft.questions]
    services.discard_draft(survey)
    assert [v.number for v in reload(Survey, survey.id).versions] == [1]
    assert db.session.scalars(select(Question).where(Question.id.in_(draft_question_ids))).all() == []


def test_discard_draft_refuses_a_never_published_survey(app_context):
    survey = new_survey()
    with pytest.raises(SurveyError, match="never been published"):
        services.discard_draft(survey)


def test_close_and_reopen_survey(app_context):
    survey = build_survey()
    services.close_survey(survey)
    assert not reload(Survey, survey.id).is_open
    services.reopen_survey(survey)
    assert reload(Survey, survey.id).is_open


def test_closing_a_closed_survey_is_refused(app_context):
    survey = build_survey()
    services.close_survey(survey)
    with pytest.raises(SurveyError, match="already closed"):
        services.close_survey(survey)


def test_open_link_token_is_made_on_first_enable_and_kept_across_toggles(app_context):
    survey = build_survey()
    assert survey.open_link_token is None
    services.set_open_link(survey, True)
    token = survey.open_link_token
    services.set_open_link(survey, False)
    services.set_open_link(survey, True)
    stored = reload(Survey, survey.id)
    assert stored.open_link_enabled and stored.open_link_token == token and len(token) >= 32


def test_regenerating_the_open_link_revokes_the_old_token(app_context):
    survey = build_survey(open_link=True)
    old_token = survey.open_link_token
    services.regenerate_open_link(survey)
    stored = reload(Survey, survey.id)
    assert stored.open_link_token != old_token and stored.open_link_enabled


def test_response_counts_per_survey(app_context):
    answered, quiet = build_survey(), build_survey()
    for _ in range(2):
        db.session.add(Response(survey=answered, version=answered.live_version,
                                submission_key=uuid.uuid4().hex, language="en"))
    db.session.flush()
    counts = services.response_counts()
    assert counts[answered.id] == 2 and quiet.id not in counts
