"""Corrections are data: staff labels retrain the classifier, which is published only if it checks as well,
re-labels answers as a new version, and can be rolled back. All with the real shipped classifier."""
import json

import pytest
from flask import current_app
from sqlalchemy import select

from tests.builders import build_map, build_response, build_survey
from webapp.analysis.engine import load_classifier
from webapp.analysis.engine.adaptation import Example
from webapp.analysis.models import AnswerLabel, ModelRelease, ReleaseStatus
from webapp.analysis.releases import (
    current_classifier,
    release_in_use,
    retrain,
    rollback,
)
from webapp.analysis.services import label_pending
from webapp.extensions import db
from webapp.jobs import registered_jobs, run_job
from webapp.support import learning
from webapp.support.learning import held_out_for_checking, staff_examples
from webapp.support.models import ItemOrigin, SupportItem
from webapp.support.services import Actor, create_complaints, label_item
from webapp.surveys.models import QuestionKind

ANN = Actor(name="Ann")

# "FlexiRata" is this shop's instalment plan: it means nothing to a model trained on public data, but to
# support staff a complaint naming it is a complaint about paying (checkout_friction), whatever its words.
TAUGHT = [
    ("Tried FlexiRata twice and got nowhere, I gave up on the order.", "en"),
    ("FlexiRata again. Third attempt, same result.", "en"),
    ("Wanted to use FlexiRata for the TV but it just went round in circles.", "en"),
    ("The FlexiRata step is where I always get stuck.", "en"),
    ("Z FlexiRata nic nie wyszło, zamówienie przepadło.", "pl"),
    ("FlexiRata iar nu a mers, am renunțat la comandă.", "ro"),
    ("FlexiRata said no again, no idea why.", "en"),
    ("Znowu FlexiRata, trzecie podejście i to samo.", "pl"),
]
SIMILAR = [
    "FlexiRata did it again, could not finish.",
    "Chciałem przez FlexiRata, znowu nic.",
    "Am încercat cu FlexiRata, degeaba.",
]
UNRELATED = "The courier left the parcel at the wrong door, it got wet."


def survey_answers(texts):
    survey = build_survey(build_map())
    answers = []
    for text in texts:
        response = build_response(survey, {QuestionKind.TEXT: text})
        answers.append(next(answer for answer in response.answers if answer.text))
    db.session.commit()
    return answers


def label_of(answer) -> AnswerLabel:
    db.session.expire_all()
    return db.session.scalar(select(AnswerLabel).where(AnswerLabel.answer_id == answer.id))


def teach_flexirata() -> None:
    """Help-desk complaints about FlexiRata arrive; staff correct each one to checkout_friction + frustration."""
    items = create_complaints([{"text": text, "language": lang, "channel": "email"} for text, lang in TAUGHT],
                              ItemOrigin.MANUAL, ANN)
    for item in items:
        label_item(item, item.version, ANN, emotions=["frustration"], blockers=["checkout_friction"])
    db.session.commit()


def run_retraining_job() -> str | None:
    job = next(job for job in registered_jobs() if job.id == "support-retrain-classifier")
    db.session.rollback()  # end this test's read, as a request would: the job runs in a context of its own
    return run_job(current_app._get_current_object(), job)


def hold_out_only(monkeypatch, text: str) -> None:
    """Keep exactly one taught item for checking. Which items the hash holds out depends on their ids, which on
    PostgreSQL depend on the tests before (sequences are not rolled back): holding out the only Romanian
    example once left Romanian untaught and failed this test."""
    held_id = db.session.scalar(select(SupportItem.id).where(SupportItem.text == text))
    monkeypatch.setattr(learning, "held_out_for_checking", lambda item_id: item_id == held_id)


def test_a_handful_of_corrections_teach_a_new_kind_of_answer_and_similar_new_answers_get_it(app_context, monkeypatch):
    answers = survey_answers(SIMILAR + [UNRELATED])
    label_pending()
    before = {answer.id: label_of(answer) for answer in answers}
    assert all("checkout_friction" not in before[answer.id].blockers for answer in answers)
    shipped_version = before[answers[0].id].model_version

    teach_flexirata()
    hold_out_only(monkeypatch, TAUGHT[6][0])
    outcome = run_retraining_job()
    assert outcome is not None and "published" in outcome
    release = db.session.scalar(select(ModelRelease))
    assert release.status == ReleaseStatus.PUBLISHED and release.check_score >= release.previous_score
    assert current_classifier().version == f"{shipped_version}+r{release.id}"

    # The labelling job re-labels the older answers with the new version.
    label_pending()
    after = {answer.id: label_of(answer) for answer in answers}
    for answer in answers[:3]:
        label = after[answer.id]
        assert label.model_version == release.version
        assert "checkout_friction" in label.blockers, answer.text
        # The evidence of the learned label is the product's name.
        spans = [span["text"] for span in label.evidence if span["label"] == "checkout_friction"]
        assert "FlexiRata" in spans, label.evidence
    unrelated = after[answers[3].id]
    assert unrelated.blockers == before[answers[3].id].blockers and "checkout_friction" not in unrelated.blockers

    # Nothing changed: the next run of the job does not retrain.
    assert run_retraining_job() is None
    assert db.session.scalar(select(db.func.count(ModelRelease.id))) == 1


def test_a_rollback_puts_the_previous_model_back_as_a_new_version(app_context):
    answers = survey_answers(SIMILAR[:1])
    teach_flexirata()
    run_retraining_job()
    label_pending()
    assert "checkout_friction" in label_of(answers[0]).blockers

    back = rollback(None, actor="Ann")
    db.session.commit()
    assert release_in_use().id == back.id and back.note == "rollback to the shipped model"
    label_pending()
    label = label_of(answers[0])
    assert label.model_version == back.version and "checkout_friction" not in label.blockers

    # ... and forward again to the retrained release, kept in the database.
    first = db.session.scalar(select(ModelRelease).where(ModelRelease.id < back.id))
    again = rollback(first.id, actor="Ann")
    db.session.commit()
    label_pending()
    label = label_of(answers[0])
    assert label.model_version == again.version and "checkout_friction" in label.blockers
    # The same staff labels do not bring back by themselves what a rollback took away.
    rollback(None, actor="Ann")
    db.session.commit()
    assert run_retraining_job() is None


def test_a_model_that_does_worse_on_the_check_set_is_rejected_and_the_one_in_use_stays(app_context):
    shipped = load_classifier()
    # Staff (wrongly) teach that FlexiRata complaints are about delivery; their held-out labels say anger and
    # checkout. (Not joy: a learned positive emotion on a text that reads negative is not shown anyway.)
    examples = [Example(text, lang, frozenset(), frozenset({"delivery_problem"})) for text, lang in TAUGHT]
    check = [Example(text, None, frozenset({"anger"}), frozenset({"checkout_friction"})).as_record()
             for text in SIMILAR]
    outcome = retrain(examples, check, actor="test")
    assert not outcome.published and "rejected" in outcome.describe()
    release = db.session.scalar(select(ModelRelease))
    assert release.status == ReleaseStatus.REJECTED and release.check_score < release.previous_score
    assert db.session.scalar(select(ModelRelease.model)) is None  # a rejected model is not kept
    assert current_classifier() is shipped


def test_two_processes_retraining_at_once_publish_one_release(app_context, monkeypatch):
    examples = [Example(text, lang, frozenset({"frustration"}), frozenset({"checkout_friction"}))
                for text, lang in TAUGHT]
    assert retrain(examples, [], actor="first").release is not None
    # The second process read the newest release before the first one committed its own.
    monkeypatch.setattr("webapp.analysis.releases.newest_release", lambda: None)
    outcome = retrain(examples, [], actor="second")
    assert outcome.release is None and "another process" in outcome.describe()
    assert db.session.scalar(select(db.func.count(ModelRelease.id))) == 1


def test_a_fixed_share_of_staff_labels_is_held_out_for_checking(app_context):
    teach_flexirata()
    training, check = staff_examples()
    assert len(training) + len(check) == len(TAUGHT)
    held_out = [item_id for item_id in range(1, 1001) if held_out_for_checking(item_id)]
    assert 150 <= len(held_out) <= 250  # about one in five
    assert held_out == [item_id for item_id in range(1, 1001) if held_out_for_checking(item_id)]


@pytest.mark.parametrize("argument, message", [("999", "there is no release 999"),
                                               ("latest", "a release number")])
def test_the_rollback_command_refuses_what_it_cannot_do(app, runner, argument, message):
    result = runner.invoke(args=["analysis", "rollback", argument])
    assert result.exit_code == 2 and message in result.output


def test_the_commands_retrain_list_and_roll_back(app, runner):
    with app.app_context():
        teach_flexirata()
    assert "published" in runner.invoke(args=["support", "retrain"]).output
    assert "Nothing to retrain" in runner.invoke(args=["support", "retrain"]).output
    listing = runner.invoke(args=["analysis", "releases"]).output
    assert "published" in listing and "(in use)" in listing
    result = runner.invoke(args=["analysis", "rollback", "shipped"])
    assert result.exit_code == 0 and "rollback to the shipped model" in result.output


def test_the_classify_command_labels_with_the_release_in_use_unless_told_shipped(app, runner):
    with app.app_context():
        teach_flexirata()
    runner.invoke(args=["support", "retrain"])
    line = '{"id": 1, "text": "FlexiRata did it again, could not finish."}\n'
    in_use = json.loads(runner.invoke(args=["analysis", "classify"], input=line).output)
    shipped = json.loads(runner.invoke(args=["analysis", "classify", "--shipped"], input=line).output)
    assert "+r" in in_use["model"] and "checkout_friction" in in_use["blockers"]
    assert "+r" not in shipped["model"] and "checkout_friction" not in shipped["blockers"]
