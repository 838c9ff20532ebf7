"""The fold: map cells kept up to date incrementally are exactly what a count from scratch gives, on both
databases, through re-labels, replays and answers that keep arriving.

Labels are stored through the real labelling service (label_pending) with a scripted classifier that reads
the label off the text ("v=-0.5 e=anger b=checkout_friction c=1"), so each test knows what to expect.
"""
import random
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from tests.builders import build_map, build_response, build_survey, stage_named
from webapp.analysis.models import AnswerLabel
from webapp.analysis.services import label_pending
from webapp.extensions import db
from webapp.labels import BLOCKERS, EMOTIONS
from webapp.maps.aggregates import (
    LABEL_SOURCES, EffectiveLabel, effective_label, fold_pending,
)
from webapp.maps.models import (
    COUNTERS, VALENCE_SCALE, BlockerQuote, FoldedLabel, FoldWatermark, MapFiguresVersion, map_cell_table,
)
from webapp.responses.models import Answer, Response
from webapp.surveys.models import Question, QuestionKind

EMOTION_IDS = sorted(EMOTIONS)
BLOCKER_IDS = sorted(BLOCKERS)


class ScriptedClassifier:
    """Reads each label off its text: `v=<valence> e=<emotions> b=<blockers> c=<0|1> lang=<code>`.

    `swap` maps emotions to others, to play a new model version that sees things differently.
    """

    def __init__(self, version: str = "scripted-1", swap: dict | None = None):
        self.version = version
        self.swap = swap or {}

    def classify_many(self, items):
        return [self.classify(text) for text, _lang in items]

    def classify(self, text: str) -> dict:
        fields = dict(part.split("=", 1) for part in text.split() if "=" in part)
        lang = fields.get("lang", "en")
        emotions = list(dict.fromkeys(self.swap.get(e, e) for e in fields.get("e", "").split(",") if e))
        blockers = [b for b in fields.get("b", "").split(",") if b]
        evidence = [{"label": label, "start": 0, "end": 1, "text": text[:1]} for label in emotions + blockers]
        return {"lang": lang, "supported": lang in ("en", "pl", "ro"), "valence": float(fields.get("v", 0)),
                "emotions": emotions, "scores": {}, "blockers": blockers, "blocker_scores": {},
                "complaint": fields.get("c") == "1", "evidence": evidence, "model": self.version}


def label_all(classifier=None) -> int:
    return label_pending(classifier or ScriptedClassifier(), batch_size=50)


def shop_survey(journey_map=None):
    """build_survey's survey plus a free-text question at the stage of its emotion picker."""
    journey_map = journey_map or build_map()
    survey = build_survey(journey_map)
    service = stage_named(journey_map, "Post-purchase service")
    version = survey.live_version
    version.questions.append(Question(key="service-text", position=len(version.questions), kind=QuestionKind.TEXT,
                                      stage=service, touchpoint=service.touchpoints[1], texts={}, options=[]))
    db.session.flush()
    return survey


def service_text_question(survey) -> Question:
    return next(question for question in survey.live_version.questions if question.key == "service-text")


def random_text(rng: random.Random) -> str:
    if rng.random() < 0.1:
        return f"v=0.1 e=joy lang=de n={rng.random()}"  # unsupported language
    emotions = ",".join(rng.sample(EMOTION_IDS, rng.randint(0, 3)))
    blockers = ",".join(rng.sample(BLOCKER_IDS, rng.choice((0, 0, 1, 2))))
    return (f"v={rng.uniform(-1, 1):.4f} e={emotions} b={blockers} c={int(rng.random() < 0.3)} "
            f"n={rng.random()}")


def add_random_responses(survey, count: int, seed: int, now: datetime | None = None) -> None:
    """`count` responses over the last 14 months, personas, languages and every question kind, committed."""
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    personas = [*survey.journey_map.personas, None]
    for _ in range(count):
        answers = {QuestionKind.CSAT: rng.randint(1, 5), QuestionKind.NPS: rng.randint(0, 10),
                   QuestionKind.CES: rng.randint(1, 7)}
        if rng.random() < 0.8:
            answers[QuestionKind.TEXT] = random_text(rng)
        if rng.random() < 0.7:
            answers[service_text_question(survey)] = random_text(rng)
        if rng.random() < 0.7:
            answers[QuestionKind.EMOTION] = rng.sample(EMOTION_IDS, rng.randint(1, 3))
        build_response(survey, answers, language=rng.choice(("en", "pl", "ro")), persona=rng.choice(personas),
                       submitted_at=now - timedelta(days=rng.randint(0, 420), minutes=rng.randint(0, 1000)))
    db.session.commit()


def folded_cells() -> dict[str, dict[str, int]]:
    rows = db.session.execute(select(map_cell_table)).mappings()
    cells = {row["key"]: {name: row[name] for name in COUNTERS} for row in rows}
    db.session.rollback()
    return {key: counts for key, counts in cells.items() if any(counts.values())}


def cells_from_scratch() -> dict[str, dict[str, int]]:
    """Every cell counted straight from the answers and their labels, with none of the fold's code."""
    rows = db.session.execute(
        select(Answer, Question.kind, Response.persona_id, Response.survey_id)
        .join(Question, Question.id == Answer.question_id).join(Response, Response.id == Answer.response_id)
    ).all()
    labels = {label.answer_id: label for label in db.session.scalars(select(AnswerLabel))}
    cells: dict[str, Counter] = defaultdict(Counter)
    picks: dict[tuple, tuple[int, str, set]] = {}
    classified: dict[tuple, set] = defaultdict(set)

    def key_of(answer, persona_id, survey_id):
        return (f"{answer.stage_id}.{persona_id or 0}.{survey_id}.{answer.touchpoint_id or 0}."
                f"{answer.language}.{answer.submitted_at:%Y%m}")

    for answer, kind, persona_id, survey_id in rows:
        cell = cells[key_of(answer, persona_id, survey_id)]
        if kind == QuestionKind.TEXT and answer.id in labels:
            label = labels[answer.id]
            if not label.supported or label.unlabelable:
                cell["unclassified"] += 1
                continue
            units = round(label.valence * VALENCE_SCALE)
            cell.update(labelled=1, valence_n=1, valence_sum=units, valence_sumsq=units * units,
                        complaints=int(label.complaint))
            cell.update(f"emotion_{emotion}" for emotion in label.emotions)
            cell.update(f"blocker_{blocker}" for blocker in label.blockers)
            classified[(answer.response_id, answer.stage_id)].update(label.emotions)
        elif kind == QuestionKind.NPS:
            cell["nps_promoters" if answer.number >= 9 else "nps_passives" if answer.number >= 7
                 else "nps_detractors"] += 1
        elif kind in (QuestionKind.CSAT, QuestionKind.CES):
            cell.update({f"{kind.value}_n": 1, f"{kind.value}_sum": answer.number})
        elif kind == QuestionKind.EMOTION and answer.choices:
            cell.update(["pickers", *(f"picked_{emotion}" for emotion in answer.choices)])
            first = picks.get((answer.response_id, answer.stage_id))
            if first is None or answer.id < first[0]:
                picks[(answer.response_id, answer.stage_id)] = (answer.id, key_of(answer, persona_id, survey_id),
                                                                 set(answer.choices))
    supported_texts = {(answer.response_id, answer.stage_id) for answer, kind, _p, _s in rows
                       if kind == QuestionKind.TEXT and answer.id in labels and labels[answer.id].supported
                       and not labels[answer.id].unlabelable}
    for pair, (_id, key, picked) in picks.items():
        if pair in supported_texts:
            cells[key].update(agreement_n=1, agreement_agree=int(bool(picked & classified[pair])))
    db.session.rollback()
    return {key: {name: counts[name] for name in COUNTERS} for key, counts in cells.items()
            if any(counts.values())}


def test_folding_in_small_batches_gives_the_count_from_scratch_and_keeps_it_as_answers_arrive(app_context):
    survey = shop_survey()
    add_random_responses(survey, 60, seed=1)
    label_all()
    outcome = fold_pending(batch_size=7)
    assert outcome.batches > 10 and outcome.answers > 0 and outcome.label_events > 0
    assert folded_cells() == cells_from_scratch()

    add_random_responses(survey, 25, seed=2)  # new answers arrive, then their labels
    fold_pending(batch_size=7)
    label_all()
    fold_pending(batch_size=7)
    assert folded_cells() == cells_from_scratch()
    assert fold_pending().events == 0


def test_a_new_model_version_moves_counts_from_the_old_labels_to_the_new(app_context):
    survey = shop_survey()
    add_random_responses(survey, 40, seed=3)
    label_all()
    fold_pending()
    before = folded_cells()
    labelled = sum(cell["labelled"] for cell in before.values())

    relabelled = label_all(ScriptedClassifier("scripted-2", swap={"joy": "anger", "trust": "suspicion"}))
    assert relabelled > 0
    outcome = fold_pending(batch_size=9)
    assert outcome.label_events == relabelled
    after = folded_cells()
    assert after == cells_from_scratch()
    assert sum(cell["labelled"] for cell in after.values()) == labelled  # moved, not added
    assert sum(cell["emotion_joy"] for cell in after.values()) == 0
    assert sum(cell["emotion_anger"] for cell in after.values()) >= sum(cell["emotion_joy"] for cell in before.values())
    assert set(db.session.scalars(select(FoldedLabel.label_version))) == {"scripted-2"}


def test_reading_the_label_log_again_changes_nothing(app_context):
    survey = shop_survey()
    add_random_responses(survey, 30, seed=4)
    label_all()
    fold_pending()
    expected = folded_cells()
    db.session.execute(update(FoldWatermark).where(FoldWatermark.source == "label_write").values(folded_up_to=0))
    db.session.commit()
    outcome = fold_pending(batch_size=5)
    assert outcome.label_events > 0 and outcome.labels_changed == 0
    assert folded_cells() == expected


def test_agreement_counts_a_response_once_per_stage_and_follows_re_labels(app_context):
    journey_map = build_map()
    survey = shop_survey(journey_map)
    text = service_text_question(survey)
    build_response(survey, {QuestionKind.EMOTION: ["joy", "relief"], text: "v=0.5 e=joy,trust"})
    build_response(survey, {QuestionKind.EMOTION: ["anger"], text: "v=0.4 e=joy"})
    build_response(survey, {QuestionKind.EMOTION: ["anger"], text: "v=0.1 e= lang=de"})  # not classified
    build_response(survey, {QuestionKind.EMOTION: ["fear"]})  # nothing to compare with
    db.session.commit()
    label_all()
    fold_pending()
    from webapp.maps.insights import map_figures

    service = next(stage for stage in map_figures(journey_map).stages if stage.name == "Post-purchase service")
    assert (service.agreement_count, service.agreement) == (2, 0.5)
    assert {share.label: share.count for share in service.picked_emotions} == {
        "joy": 1, "relief": 1, "anger": 2, "fear": 1}

    label_all(ScriptedClassifier("scripted-2", swap={"joy": "anger"}))  # now the second agrees, the first not
    fold_pending()
    service = next(stage for stage in map_figures(journey_map).stages if stage.name == "Post-purchase service")
    assert (service.agreement_count, service.agreement) == (2, 0.5)
    assert folded_cells() == cells_from_scratch()


def test_unsupported_languages_are_counted_apart_from_the_mix(app_context):
    journey_map = build_map()
    survey = build_survey(journey_map)
    build_response(survey, {QuestionKind.TEXT: "v=0.9 e=joy lang=de"})
    build_response(survey, {QuestionKind.TEXT: "v=-0.5 e=anger"})
    db.session.commit()
    label_all()
    fold_pending()
    from webapp.maps.insights import map_figures

    purchase = next(stage for stage in map_figures(journey_map).stages if stage.name == "Purchase")
    assert purchase.valence.count == 1 and purchase.valence.mean == pytest.approx(-0.5)
    assert [(share.label, share.count, share.share) for share in purchase.emotion_mix] == [("anger", 1, 1.0)]
    assert purchase.unclassified == 1


def test_a_label_source_in_front_wins_in_every_figure(app_context, monkeypatch):
    """The seam for human labels (issue 5): a source placed before the machine's is what gets counted."""
    journey_map = build_map()
    survey = build_survey(journey_map)
    response = build_response(survey, {QuestionKind.TEXT: "v=-0.8 e=anger b=checkout_friction"})
    db.session.commit()
    answer_id = next(answer.id for answer in response.answers if answer.text)
    label_all()
    fold_pending()
    human = EffectiveLabel(source="human", version="agent-7", supported=True, valence=0.6, emotions=("relief",),
                           blockers=(), complaint=False)
    monkeypatch.setattr("webapp.maps.aggregates.LABEL_SOURCES",
                        [lambda ids, with_evidence: {i: human for i in ids if i == answer_id}, *LABEL_SOURCES])
    assert effective_label(answer_id) == human
    # A human label's log would name the answer; replaying the machine log does the same here.
    db.session.execute(update(FoldWatermark).where(FoldWatermark.source == "label_write").values(folded_up_to=0))
    db.session.commit()
    fold_pending()
    from webapp.maps.insights import map_figures

    purchase = next(stage for stage in map_figures(journey_map).stages if stage.name == "Purchase")
    assert purchase.valence.mean == pytest.approx(0.6)
    assert [share.label for share in purchase.emotion_mix] == ["relief"]
    assert purchase.company_blockers == []
    assert db.session.scalar(select(BlockerQuote.answer_id)) is None


def test_each_fold_that_changes_a_map_counts_one_more_version(app_context):
    journey_map = build_map()
    survey = build_survey(journey_map)
    build_response(survey, {QuestionKind.CSAT: 4})
    db.session.commit()
    fold_pending()
    first = db.session.scalar(select(MapFiguresVersion.version).where(MapFiguresVersion.map_id == journey_map.id))
    fold_pending()  # nothing new: the version stays
    assert db.session.scalar(select(MapFiguresVersion.version)) == first
    build_response(survey, {QuestionKind.CSAT: 2})
    db.session.commit()
    fold_pending()
    assert db.session.scalar(select(MapFiguresVersion.version)) == first + 1
