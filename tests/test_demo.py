"""`flask demo load`: what a newcomer sees first."""
from sqlalchemy import func, or_, select

from webapp.demo import MAP_NAME, STAFF
from webapp.demo_data.sentences import TOPICS
from webapp.extensions import db
from webapp.maps.models import JourneyMap, MapKind
from webapp.maps.services import DEFAULT_STAGES
from webapp.responses.models import Answer, Response
from webapp.surveys.models import Question, QuestionKind, Survey


def load(runner, *args):
    result = runner.invoke(args=["demo", "load", *args])
    assert result.exit_code == 0, result.output
    return result


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_demo_map_has_the_five_stages_touchpoints_personas_and_an_ideal_map(app, runner):
    load(runner)
    with app.app_context():
        as_is = db.session.scalar(select(JourneyMap).where(JourneyMap.name == MAP_NAME))
        assert as_is.kind == MapKind.AS_IS
        assert [stage.name for stage in as_is.stages] == [name for name, _ in DEFAULT_STAGES]
        assert all(2 <= len(stage.touchpoints) <= 3 for stage in as_is.stages)
        assert len(as_is.personas) == 2
        ideal = db.session.scalar(select(JourneyMap).where(JourneyMap.improves_on_id == as_is.id))
        assert ideal.kind == MapKind.IDEAL


def test_demo_survey_is_published_in_three_languages_with_every_question_kind(app, runner):
    load(runner)
    with app.app_context():
        survey = db.session.scalar(select(Survey))
        version = survey.live_version
        assert survey.is_open and survey.open_link_enabled
        assert version.languages == ["en", "pl", "ro"] and version.default_language == "en"
        assert {question.kind for question in version.questions} == set(QuestionKind)
        for question in version.questions:
            assert question.touchpoint.stage_id == question.stage_id
            assert all(question.texts[language]["prompt"] for language in ("en", "pl", "ro"))


def test_demo_has_hundreds_of_varied_answers_in_three_languages(app, runner):
    load(runner)
    with app.app_context():
        rows = db.session.execute(select(Response.language, func.count()).group_by(Response.language))
        per_language = {language: count for language, count in rows}
        assert set(per_language) == {"en", "pl", "ro"}
        assert sum(per_language.values()) >= 300
        texts = db.session.scalars(select(Answer.text).where(Answer.text.is_not(None))).all()
        assert len(set(texts)) >= 200
        invited = db.session.scalar(select(func.count()).where(Response.invitation_id.is_not(None)))
        assert sum(per_language.values()) > invited > 0.5 * sum(per_language.values())


def test_demo_ratings_agree_with_what_customers_wrote(app, runner):
    load(runner)
    with app.app_context():
        def mean_csat_where_customers_wrote_about(topic: str) -> float:
            sentences = [sentence for language in ("en", "pl", "ro") for sentence in TOPICS[topic][language]]
            responses = select(Answer.response_id).where(or_(*(Answer.text.contains(s) for s in sentences)))
            return db.session.scalar(
                select(func.avg(Answer.number))
                .join(Question, Answer.question_id == Question.id)
                .where(Question.kind == QuestionKind.CSAT, Answer.response_id.in_(responses))
            )

        declined, loyal = (mean_csat_where_customers_wrote_about(topic) for topic in ("card_declined", "loyal"))
        assert declined < 2.5 < 3.5 < loyal


def test_loading_twice_changes_nothing_and_says_so(app, runner):
    load(runner)
    with app.app_context():
        before = row_counts()
    result = load(runner)
    assert "nothing changed" in result.output
    with app.app_context():
        assert row_counts() == before


def test_printed_demo_accounts_can_sign_in(app, runner, client):
    result = load(runner)
    role, email, _, password = STAFF[1]
    assert email in result.output and password in result.output
    response = client.post("/sign-in", data={"email": email, "password": password})
    assert response.status_code == 302


def test_if_empty_leaves_a_database_with_staff_alone(app, runner, make_user):
    make_user()
    result = load(runner, "--if-empty")
    assert "not loaded" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(JourneyMap.id))) == 0


def test_demo_support_staff_labelled_help_desk_complaints_over_months_and_they_teach_the_classifier(app, runner):
    from webapp.demo_data.support import HELPDESK_COMPLAINTS
    from webapp.support.learning import retrain_from_staff_labels
    from webapp.support.services import agreement_report

    load(runner)
    with app.app_context():
        labels, months = agreement_report()
        assert sum(month.labelled for month in months) == len(HELPDESK_COMPLAINTS)
        assert len(months) >= 4 and "checkout_friction" in {label.label for label in labels}
        outcome = retrain_from_staff_labels()  # judged on the check set: published or rejected, never skipped
        assert outcome is not None and outcome.release.check_score is not None
