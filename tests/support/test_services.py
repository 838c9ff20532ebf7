"""The support queue's services: what enters the queue, staff changes that never overwrite each other,
the audit trail, and human labels that win over the machine's in the map figures."""
import pytest
from sqlalchemy import select

from tests.builders import (
    build_invitation,
    build_map,
    build_response,
    build_survey,
    stage_named,
)
from tests.maps.test_aggregates import ScriptedClassifier, label_all
from webapp.auth.models import Role
from webapp.extensions import db
from webapp.maps.aggregates import effective_label, fold_pending
from webapp.support.models import (
    HumanLabel,
    ItemOrigin,
    ItemStatus,
    SupportItem,
)
from webapp.support.services import (
    Actor,
    ComplaintInvalid,
    LabelInvalid,
    StaleItem,
    create_complaints,
    enqueue_flagged_answers,
    item_label,
    label_item,
    update_item,
)
from webapp.surveys.models import QuestionKind

ANN = Actor(name="Ann")


def text_answer(survey, text, **kwargs):
    response = build_response(survey, {QuestionKind.TEXT: text}, **kwargs)
    return next(answer for answer in response.answers if answer.text)


def queued_answer_ids() -> set[int]:
    return set(db.session.scalars(select(SupportItem.answer_id).where(SupportItem.answer_id.is_not(None))))


def test_the_job_queues_complaints_negative_and_blocked_answers_once(app_context):
    survey = build_survey(build_map())
    complaint = text_answer(survey, "v=0.2 c=1")
    negative = text_answer(survey, "v=-0.3 e=disappointment")
    blocked = text_answer(survey, "v=0.1 b=pricing_unclear")
    text_answer(survey, "v=-0.29 e=uncertainty")  # mildly negative: not queued
    text_answer(survey, "v=0.8 e=joy")
    db.session.commit()
    label_all()
    assert enqueue_flagged_answers() == 3
    assert queued_answer_ids() == {complaint.id, negative.id, blocked.id}
    assert enqueue_flagged_answers() == 0  # idempotent: a second run changes nothing
    assert db.session.scalar(select(db.func.count(SupportItem.id))) == 3


def test_a_queued_answer_carries_its_stage_order_and_machine_label(app_context):
    journey_map = build_map()
    survey = build_survey(journey_map)
    invitation = build_invitation(survey, external_id="CUST-9")
    invitation.order_id = "ORD-1"
    answer = text_answer(survey, "v=-0.7 e=anger b=checkout_friction", invitation=invitation)
    db.session.commit()
    label_all()
    enqueue_flagged_answers()
    item = db.session.scalar(select(SupportItem))
    assert (item.origin, item.text, item.stage_id, item.order_id, item.customer_reference) == (
        ItemOrigin.SURVEY, answer.text, answer.stage_id, "ORD-1", "CUST-9")
    assert item.status == ItemStatus.NEW and item.valence == pytest.approx(-0.7)
    assert item_label(item).emotions == ("anger",) and item_label(item).blockers == ("checkout_friction",)


def test_re_labelling_refreshes_a_queued_items_machine_label(app_context):
    survey = build_survey(build_map())
    text_answer(survey, "v=-0.7 e=anger")
    db.session.commit()
    label_all()
    enqueue_flagged_answers()
    label_all(ScriptedClassifier("scripted-2", swap={"anger": "frustration"}))
    assert enqueue_flagged_answers() == 1
    item = db.session.scalar(select(SupportItem))
    assert item.machine_model == "scripted-2" and item_label(item).emotions == ("frustration",)


def test_outside_complaints_are_checked_labelled_and_audited(app_context):
    stage = stage_named(build_map(), "Purchase")
    [item] = create_complaints([{"text": "  v=-0.6 e=anger c=1 ", "channel": "e-mail", "stage_id": stage.id,
                                 "order_id": "A-17"}], ItemOrigin.MANUAL, ANN, classifier=ScriptedClassifier())
    assert (item.text, item.channel, item.stage_id, item.order_id, item.language) == (
        "v=-0.6 e=anger c=1", "e-mail", stage.id, "A-17", "en")
    assert item.complaint and item_label(item).emotions == ("anger",)
    assert [(entry.actor, entry.field, entry.after) for entry in item.audit] == [("Ann", "created", "manual")]


def test_a_batch_of_complaints_with_one_bad_record_stores_none(app_context):
    with pytest.raises(ComplaintInvalid) as refused:
        create_complaints([{"text": "fine"}, {"text": ""}, {"text": "x", "stage_id": 999999}], ItemOrigin.CSV, ANN,
                          classifier=ScriptedClassifier())
    assert refused.value.errors == {"2.text": "required: the complaint's text"}
    assert db.session.scalar(select(SupportItem)) is None


@pytest.mark.parametrize("record, field", [
    ({"text": "x", "stage_id": 999999}, "stage_id"),
    ({"text": "x", "stage_id": "two"}, "stage_id"),
    ({"text": "x", "channel": "c" * 41}, "channel"),
    ({"text": "x", "colour": "red"}, "colour"),
    ({"text": 12}, "text"),
])
def test_bad_fields_of_a_complaint_are_named(app_context, record, field):
    with pytest.raises(ComplaintInvalid) as refused:
        create_complaints([record], ItemOrigin.MANUAL, ANN, classifier=ScriptedClassifier())
    assert list(refused.value.errors) == [field]


def test_a_touchpoint_of_another_stage_is_refused(app_context):
    journey_map = build_map()
    purchase, service = stage_named(journey_map, "Purchase"), stage_named(journey_map, "Post-purchase service")
    with pytest.raises(ComplaintInvalid) as refused:
        create_complaints([{"text": "x", "stage_id": purchase.id, "touchpoint_id": service.touchpoints[0].id}],
                          ItemOrigin.MANUAL, ANN, classifier=ScriptedClassifier())
    assert refused.value.errors == {"touchpoint_id": "not a touchpoint of this stage"}


def outside_item(text="v=-0.6 e=anger c=1") -> SupportItem:
    [item] = create_complaints([{"text": text}], ItemOrigin.MANUAL, ANN, classifier=ScriptedClassifier())
    db.session.commit()
    return item


def test_staff_changes_are_kept_in_the_audit_trail(app_context, make_user):
    ben = make_user(Role.SUPPORT, name="Ben")
    item = outside_item()
    changed = update_item(item, 1, Actor("Ben", ben.id), status="in_progress", assignee_id=ben.id,
                          tags=["Refund", " refund", "vip"], note="Called back")
    db.session.commit()
    assert changed == ["status", "assignee_id", "tags", "note"] and item.version == 2
    assert item.tags == ["refund", "vip"]
    trail = [(entry.actor, entry.field, entry.before, entry.after, entry.item_version) for entry in item.audit[1:]]
    assert trail == [("Ben", "status", "new", "in_progress", 2), ("Ben", "assignee_id", None, ben.id, 2),
                     ("Ben", "tags", [], ["refund", "vip"], 2), ("Ben", "note", "", "Called back", 2)]
    assert update_item(item, 2, Actor("Ben", ben.id), status="in_progress") == []  # nothing new: no version


def test_an_update_against_a_stale_version_is_refused_with_what_changed(app_context):
    item = outside_item()
    update_item(item, 1, Actor("Ann"), status="resolved")
    db.session.commit()
    with pytest.raises(StaleItem) as refused:
        update_item(item, 1, Actor("Ben"), note="Waiting for the courier")
    assert [(entry.actor, entry.field, entry.after) for entry in refused.value.changes] == [
        ("Ann", "status", "resolved")]
    db.session.rollback()
    assert db.session.get(SupportItem, item.id).note == ""


def test_a_concurrent_commit_between_read_and_write_is_caught_by_the_database(app, app_context):
    """Two requests read version 1; the first commits; the second's UPDATE names version 1 and matches no row."""
    item = outside_item()
    item_id = item.id
    db.session.remove()
    second = db.session.get(SupportItem, item_id)
    assert second.version == 1
    db.session.expunge(second)  # keep what was read; end the read's transaction (SQLite writers take turns)
    db.session.commit()
    with app.app_context():  # another request, with a session of its own
        first = db.session.get(SupportItem, item_id)
        update_item(first, 1, Actor("Ann"), status="resolved")
        db.session.commit()
    second = db.session.merge(second, load=False)  # still version 1, as the slower request saw it
    with pytest.raises(StaleItem) as refused:
        update_item(second, 1, Actor("Ben"), note="Mine")
    assert refused.value.item.version == 2 and refused.value.changes[0].field == "status"
    assert db.session.get(SupportItem, item_id).note == ""


def test_confirming_keeps_the_machines_labels_as_a_human_label(app_context):
    item = outside_item()
    human = label_item(item, 1, ANN)
    db.session.commit()
    assert (human.emotions, human.blockers, human.complaint, human.confirmed) == (["anger"], [], True, True)
    assert item.audit[-1].field == "label confirmed" and item_label(item).source == "human"


def test_correcting_replaces_the_labels_and_unknown_ids_are_refused(app_context):
    item = outside_item()
    with pytest.raises(LabelInvalid):
        label_item(item, 1, ANN, emotions=["grumpy"])
    human = label_item(item, 1, ANN, emotions=["frustration"], blockers=["delivery_problem"])
    db.session.commit()
    assert not human.confirmed and item_label(item).blockers == ("delivery_problem",)
    assert item.audit[-1].before is None and item.audit[-1].after == {
        "emotions": ["frustration"], "blockers": ["delivery_problem"], "complaint": True}


def purchase_figures(journey_map):
    from webapp.maps.insights import map_figures

    return next(stage for stage in map_figures(journey_map).stages if stage.name == "Purchase")


def test_a_correction_changes_the_map_and_survives_a_new_model(app_context):
    journey_map = build_map()
    survey = build_survey(journey_map)
    answer = text_answer(survey, "v=-0.8 e=anger b=checkout_friction c=1")
    db.session.commit()
    label_all()
    enqueue_flagged_answers()
    fold_pending()
    assert [share.label for share in purchase_figures(journey_map).emotion_mix] == ["anger"]
    item = db.session.scalar(select(SupportItem))
    label_item(item, 1, ANN, emotions=["disappointment"], blockers=["delivery_problem"])
    db.session.commit()
    fold_pending()
    purchase = purchase_figures(journey_map)
    assert [share.label for share in purchase.emotion_mix] == ["disappointment"]
    assert [blocker.label for blocker in purchase.company_blockers] == ["delivery_problem"]
    assert effective_label(answer.id).source == "human"

    label_all(ScriptedClassifier("scripted-2", swap={"anger": "fear"}))  # a new model re-labels every answer
    enqueue_flagged_answers()
    fold_pending()
    assert [share.label for share in purchase_figures(journey_map).emotion_mix] == ["disappointment"]
    assert db.session.scalar(select(HumanLabel.emotions)) == ["disappointment"]
    assert item_label(db.session.get(SupportItem, item.id)).emotions == ("disappointment",)


def test_a_new_model_does_not_undo_staff_labels_in_the_queues_columns(app_context):
    survey = build_survey(build_map())
    text_answer(survey, "v=-0.7 e=anger c=1")
    db.session.commit()
    label_all()
    enqueue_flagged_answers()
    item = db.session.scalar(select(SupportItem))
    label_item(item, 1, ANN, emotions=["fear"], complaint=False)
    db.session.commit()
    label_all(ScriptedClassifier("scripted-2", swap={"anger": "disgust"}))
    enqueue_flagged_answers()
    db.session.expire_all()
    item = db.session.scalar(select(SupportItem))
    assert (item.machine_model, item.emotion_ids, item.complaint) == ("scripted-2", " fear ", False)
    assert item.machine_label["emotions"] == ["disgust"]


def test_an_answer_a_new_model_finds_negative_is_queued_then(app_context):
    survey = build_survey(build_map())
    answer = text_answer(survey, "v=0.4 e=anger")
    db.session.commit()
    label_all()
    assert enqueue_flagged_answers() == 0  # read once, not flagged
    assert enqueue_flagged_answers() == 0
    label_all(ScriptedClassifier("scripted-2", swap={"anger": "anger"}))  # same text, new version: still fine
    assert enqueue_flagged_answers() == 0

    class Negative(ScriptedClassifier):
        def classify(self, text):
            return {**super().classify(text), "valence": -0.8}

    label_all(Negative("scripted-3"))
    assert enqueue_flagged_answers() == 1
    assert queued_answer_ids() == {answer.id}
