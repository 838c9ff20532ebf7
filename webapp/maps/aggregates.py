"""Map figures kept up to date incrementally: the fold job adds answers and labels into `map_cell` rows.

A cell holds the sums and counts of the answers of one stage, persona, survey, touchpoint, language and
month (COUNTERS in webapp/maps/models.py). A map page sums the few cells its filters select, so opening a
map costs the same with a thousand answers or ten million.

How the cells stay exact
- Two sources of events are read in id order, each behind a watermark (`map_fold_watermark`): new answers
  (rating and emotion-picker answers are folded once, as they never change) and the label log
  (`label_write`, one row per label stored: the answer's effective label is folded again).
- An answer's label is folded as a *difference*: `map_folded_label` records what the answer added to its
  cell, and folding it again takes that back and adds what its effective label says now. Reading the
  same answer twice, or a log row for a label that was replaced since, changes nothing; a re-label by a
  new model moves the counts from the old labels to the new ones. Picker/classifier agreement is kept
  the same way per response and stage (`map_folded_agreement`).
- Each batch is one transaction: it locks the watermark rows (FOR UPDATE on PostgreSQL; on SQLite every
  transaction here begins with BEGIN IMMEDIATE), reads the events after the watermark, writes the cell
  differences, the records and the new watermark, and commits. Two job processes therefore fold batches
  one after the other, never the same events twice.
- A watermark only passes ids that are *settled*: no row with a smaller id can still appear. On
  PostgreSQL ids come from sequences and transactions commit out of id order, so a row with id 7 may
  become visible after id 9 was read. The fold takes a SHARE lock on the source table for an instant:
  it waits for the transactions writing to it to end and holds new ones back while it reads max(id).
  Every id up to that maximum is then committed or never will be. The lock waits at most
  SETTLE_LOCK_TIMEOUT; a busy moment only delays the fold to its next run. On SQLite writers take
  turns, so the largest id read inside the batch's transaction is settled.

Human labels (issue 5) plug in at two places: a lookup in front of LABEL_SOURCES (the first source with a
label for an answer wins in every figure), and their change log in LABEL_LOGS.
"""
import logging
import time
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from sqlalchemy import Table, bindparam, delete, func, select, text, tuple_, update
from sqlalchemy.exc import OperationalError

from webapp.analysis.models import AnswerLabel, LabelWrite
from webapp.database import utcnow
from webapp.extensions import db
from webapp.transactions import job_transaction, upsert
from webapp.labels import BLOCKERS, EMOTIONS
from webapp.maps.models import (
    BLOCKER_COUNTERS, COUNTERS, EMOTION_COUNTERS, PICKED_COUNTERS, VALENCE_SCALE, BlockerQuote, FoldedAgreement,
    FoldedLabel, FoldWatermark, MapFiguresVersion, Stage, map_cell_table,
)
from webapp.responses.models import Answer, Response
from webapp.support.models import HumanLabel, HumanLabelWrite
from webapp.surveys.models import Question, QuestionKind

log = logging.getLogger(__name__)

# How long a fold waits for the transactions writing to a source table before leaving it for its next run.
SETTLE_LOCK_TIMEOUT = "200ms"
# Answers of these kinds add to the cells when they arrive; free text adds when it is labelled.
FOLDED_ON_ARRIVAL = (QuestionKind.CSAT, QuestionKind.NPS, QuestionKind.CES, QuestionKind.EMOTION)
NEW_ANSWERS = "answer"
ANSWER, QUESTION, RESPONSE, STAGE = Answer.__table__, Question.__table__, Response.__table__, Stage.__table__
MACHINE = "machine"
HUMAN = "human"


# --- Effective labels: the one label each answer counts with -------------------------------------------

@dataclass(frozen=True)
class EffectiveLabel:
    """The label an answer counts with in every figure. `supported`: classified in a supported language
    (an unsupported-language or unlabelable answer is counted apart, never in the emotion mix)."""

    source: str
    version: str
    supported: bool
    valence: float | None
    emotions: tuple[str, ...]
    blockers: tuple[str, ...]
    complaint: bool
    evidence: tuple[dict, ...] = ()


def machine_labels(answer_ids: Collection[int], with_evidence: bool = False) -> dict[int, EffectiveLabel]:
    """The classifier's current labels of these answers."""
    if not answer_ids:
        return {}
    columns = [AnswerLabel.answer_id, AnswerLabel.model_version, AnswerLabel.supported, AnswerLabel.unlabelable,
               AnswerLabel.valence, AnswerLabel.emotions, AnswerLabel.blockers, AnswerLabel.complaint]
    if with_evidence:
        columns.append(AnswerLabel.evidence)
    rows = db.session.execute(select(*(AnswerLabel.__table__.c[column.key] for column in columns))
                              .where(AnswerLabel.__table__.c.answer_id.in_(answer_ids)))
    return {
        row.answer_id: EffectiveLabel(
            source=MACHINE, version=row.model_version, supported=row.supported and row.unlabelable is None,
            valence=row.valence, emotions=tuple(row.emotions or ()), blockers=tuple(row.blockers or ()),
            complaint=row.complaint, evidence=tuple(row.evidence or ()) if with_evidence else (),
        )
        for row in rows
    }


def human_labels(answer_ids: Collection[int], with_evidence: bool = False) -> dict[int, EffectiveLabel]:
    """The labels support staff confirmed or corrected (with the machine's evidence for the labels they kept)."""
    if not answer_ids:
        return {}
    rows = db.session.execute(select(HumanLabel.answer_id, HumanLabel.item_id, HumanLabel.revision,
                                     HumanLabel.valence, HumanLabel.emotions, HumanLabel.blockers,
                                     HumanLabel.complaint).where(HumanLabel.answer_id.in_(answer_ids))).all()
    evidence = machine_labels([row.answer_id for row in rows], True) if with_evidence and rows else {}
    labels = {}
    for row in rows:
        kept = set(row.emotions) | set(row.blockers)
        spans = evidence[row.answer_id].evidence if row.answer_id in evidence else ()
        labels[row.answer_id] = EffectiveLabel(
            source=HUMAN, version=f"item-{row.item_id}.{row.revision}", supported=True, valence=row.valence,
            emotions=tuple(row.emotions), blockers=tuple(row.blockers), complaint=row.complaint,
            evidence=tuple(span for span in spans if span.get("label") in kept),
        )
    return labels


# Where labels come from, the one that wins first: a label confirmed or corrected by support staff wins over
# the machine's in every figure.
LABEL_SOURCES: list[Callable[[Collection[int], bool], dict[int, EffectiveLabel]]] = [human_labels, machine_labels]


def effective_labels(answer_ids: Collection[int], with_evidence: bool = False) -> dict[int, EffectiveLabel]:
    """The label each of these answers counts with: the first of LABEL_SOURCES that has one."""
    labels: dict[int, EffectiveLabel] = {}
    remaining = set(answer_ids)
    for source in LABEL_SOURCES:
        if not remaining:
            break
        found = source(remaining, with_evidence)
        labels.update(found)
        remaining -= found.keys()
    return labels


def effective_label(answer_id: int) -> EffectiveLabel | None:
    """The label this answer counts with in every figure, or None while it has none."""
    return effective_labels([answer_id]).get(answer_id)


@dataclass(frozen=True)
class LabelLog:
    """A log of label changes: each row (increasing integer `id`, `answer_id`) names an answer whose
    effective label may have changed. `source` names its watermark."""

    source: str
    table: Table


LABEL_LOGS: list[LabelLog] = [LabelLog("label_write", LabelWrite.__table__),
                              LabelLog("human_label_write", HumanLabelWrite.__table__)]


# --- Cells ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CellKey:
    map_id: int
    stage_id: int
    persona_id: int  # 0: none
    survey_id: int
    touchpoint_id: int  # 0: none
    language: str
    month: date

    @cached_property
    def text(self) -> str:
        return (f"{self.stage_id}.{self.persona_id}.{self.survey_id}.{self.touchpoint_id}."
                f"{self.language}.{self.month:%Y%m}")

    def columns(self) -> dict:
        return {"key": self.text, "map_id": self.map_id, "stage_id": self.stage_id, "persona_id": self.persona_id,
                "survey_id": self.survey_id, "touchpoint_id": self.touchpoint_id, "language": self.language,
                "month": self.month}


def month_of(moment: datetime) -> date:
    return date(moment.year, moment.month, 1)


class CellDeltas:
    """What one batch adds to (or takes from) each cell, written in one statement per kind of change."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter] = {}
        self.keys: dict[str, CellKey] = {}

    def add(self, key: CellKey | str, counts: Mapping[str, int], sign: int = 1) -> None:
        text_key = key if isinstance(key, str) else key.text
        if not isinstance(key, str):
            self.keys[text_key] = key
        cell = self.counts.setdefault(text_key, Counter())
        for name, value in counts.items():
            cell[name] += sign * value

    def write(self) -> set[int]:
        """Apply the differences; return the ids of the maps whose cells changed."""
        changed = {text_key: counts for text_key, counts in self.counts.items() if any(counts.values())}
        upserts = [{**self.keys[key].columns(), **{name: changed[key][name] for name in COUNTERS}}
                   for key in sorted(changed) if key in self.keys]
        if upserts:
            statement = upsert(map_cell_table)
            statement = statement.on_conflict_do_update(
                index_elements=[map_cell_table.c.key],
                set_={name: map_cell_table.c[name] + statement.excluded[name] for name in COUNTERS},
            )
            db.session.execute(statement, upserts)
        # A cell only taken from was written by an earlier batch: it exists, and its dimensions are not here.
        updates = [{"cell": key, **{f"d_{name}": changed[key][name] for name in COUNTERS}}
                   for key in sorted(changed) if key not in self.keys]
        if updates:
            statement = (update(map_cell_table).where(map_cell_table.c.key == bindparam("cell"))
                         .values({name: map_cell_table.c[name] + bindparam(f"d_{name}") for name in COUNTERS}))
            db.session.execute(statement, updates)
        if not changed:
            return set()
        stage_ids = {int(key.split(".", 1)[0]) for key in changed}
        return set(db.session.scalars(select(Stage.map_id).where(Stage.id.in_(stage_ids))))


# --- What each answer adds --------------------------------------------------------------------------------

def _answer_rows():
    """Answers with everything their cell is keyed on and their question's kind."""
    # Core columns: ORM loading of plain rows costs more than the queries themselves.
    answer, question, response, stage = ANSWER.c, QUESTION.c, RESPONSE.c, STAGE.c
    return (
        select(answer.id, answer.response_id, answer.stage_id, answer.touchpoint_id, answer.language,
               answer.submitted_at, answer.number, answer.choices, question.kind, response.persona_id,
               response.survey_id, stage.map_id)
        .select_from(ANSWER)
        .join(QUESTION, question.id == answer.question_id)
        .join(RESPONSE, response.id == answer.response_id)
        .join(STAGE, stage.id == answer.stage_id)
    )


def cell_of(row) -> CellKey:
    return CellKey(map_id=row.map_id, stage_id=row.stage_id, persona_id=row.persona_id or 0,
                   survey_id=row.survey_id, touchpoint_id=row.touchpoint_id or 0, language=row.language,
                   month=month_of(row.submitted_at))


def picked_emotions(choices) -> set[str]:
    return {choice for choice in choices or () if choice in EMOTIONS}


def arrival_counts(kind: QuestionKind, number: int | None, choices) -> dict[str, int]:
    """What a rating or emotion-picker answer adds to its cell (nothing for other kinds)."""
    if kind == QuestionKind.NPS and number is not None:
        group = "nps_promoters" if number >= 9 else "nps_passives" if number >= 7 else "nps_detractors"
        return {group: 1}
    if kind in (QuestionKind.CSAT, QuestionKind.CES) and number is not None:
        return {f"{kind.value}_n": 1, f"{kind.value}_sum": number}
    if kind == QuestionKind.EMOTION:
        picked = picked_emotions(choices)
        if picked:
            return {"pickers": 1, **{PICKED_COUNTERS[emotion]: 1 for emotion in picked}}
    return {}


@dataclass(frozen=True)
class LabelContribution:
    """What one free-text answer's effective label adds to its cell."""

    cell_key: str
    supported: bool
    valence: int | None  # VALENCE_SCALE units
    emotions: tuple[str, ...]
    blockers: tuple[str, ...]
    complaint: bool

    @classmethod
    def of_label(cls, cell_key: str, label: EffectiveLabel) -> "LabelContribution":
        if not label.supported:
            return cls(cell_key, False, None, (), (), False)
        valence = None if label.valence is None else round(max(-1.0, min(1.0, label.valence)) * VALENCE_SCALE)
        return cls(cell_key, True, valence, tuple(sorted(set(label.emotions) & EMOTIONS.keys())),
                   tuple(sorted(set(label.blockers) & BLOCKERS.keys())), bool(label.complaint))

    @classmethod
    def of_record(cls, record) -> "LabelContribution":
        return cls(record.cell_key, record.supported, record.valence, tuple(record.emotions),
                   tuple(record.blockers), record.complaint)

    def counts(self) -> dict[str, int]:
        if not self.supported:
            return {"unclassified": 1}
        counts = {"labelled": 1, "complaints": int(self.complaint)}
        if self.valence is not None:
            counts.update(valence_n=1, valence_sum=self.valence, valence_sumsq=self.valence * self.valence)
        counts.update((EMOTION_COUNTERS[emotion], 1) for emotion in self.emotions)
        counts.update((BLOCKER_COUNTERS[blocker], 1) for blocker in self.blockers)
        return counts


def desired_agreements(pairs: Collection[tuple[int, int]],
                       labels: dict[int, EffectiveLabel]) -> dict[tuple[int, int], tuple[CellKey, bool]]:
    """Picker/classifier agreement of these (response, stage) pairs, as it should be counted now.

    A response is compared at a stage when the customer picked at least one emotion in an emotion question
    of that stage AND at least one of the response's free-text answers at that stage has an effective
    label in a supported language. It agrees when the picked emotions and the classified emotions (of all
    those answers together) share at least one emotion; a classified answer with no emotion disagrees.
    It is counted in the cell of the (first) emotion question's answer. `labels` may hold some of the
    labels already; the others are looked up.
    """
    if not pairs:
        return {}
    wanted = set(pairs)
    rows = db.session.execute(
        _answer_rows().where(ANSWER.c.response_id.in_({response_id for response_id, _stage in wanted}),
                             QUESTION.c.kind.in_((QuestionKind.TEXT, QuestionKind.EMOTION)))
        .order_by(ANSWER.c.id)
    ).all()
    rows = [row for row in rows if (row.response_id, row.stage_id) in wanted]
    missing = [row.id for row in rows if row.kind == QuestionKind.TEXT and row.id not in labels]
    labels = {**labels, **effective_labels(missing)}
    picker: dict[tuple[int, int], CellKey] = {}
    picked: dict[tuple[int, int], set[str]] = {}
    classified: dict[tuple[int, int], set[str]] = {}
    for row in rows:
        pair = (row.response_id, row.stage_id)
        if row.kind == QuestionKind.EMOTION:
            emotions = picked_emotions(row.choices)
            if emotions:
                picker.setdefault(pair, cell_of(row))
                picked.setdefault(pair, set()).update(emotions)
        else:
            label = labels.get(row.id)
            if label is not None and label.supported:
                classified.setdefault(pair, set()).update(label.emotions)
    return {pair: (picker[pair], bool(picked[pair] & classified[pair])) for pair in picker if pair in classified}


# --- Folding one batch ------------------------------------------------------------------------------------

@dataclass
class FoldOutcome:
    """What a fold did: events read, answers and labels that changed the cells, batches committed."""

    answers: int = 0  # rating and emotion-picker answers added
    label_events: int = 0  # label log rows read
    labels_changed: int = 0  # answers whose counted label changed
    batches: int = 0
    maps: set[int] = field(default_factory=set)

    @property
    def events(self) -> int:
        return self.answers + self.label_events

    def __str__(self) -> str:
        return (f"folded {self.answers} answers and {self.label_events} label changes "
                f"({self.labels_changed} moved counts) into {len(self.maps)} maps in {self.batches} batches")


def _sources() -> dict[str, Table]:
    return {NEW_ANSWERS: Answer.__table__, **{label_log.source: label_log.table for label_log in LABEL_LOGS}}


def settled_mark(table: Table) -> int | None:
    """On PostgreSQL: the largest id of `table` below which no new row can appear any more, or None when
    the writers did not let go within SETTLE_LOCK_TIMEOUT. Runs in a transaction of its own."""
    try:
        with job_transaction():
            db.session.execute(text(f"SET LOCAL lock_timeout = '{SETTLE_LOCK_TIMEOUT}'"))
            db.session.execute(text(f"LOCK TABLE {table.name} IN SHARE MODE"))
            return db.session.scalar(select(func.max(table.c.id))) or 0
    except OperationalError:
        log.info("writers held %s for over %s; folding up to its previous settled mark", table.name,
                 SETTLE_LOCK_TIMEOUT)
        return None


def _locked_watermarks() -> dict[str, tuple[int, int]]:
    """(folded_up_to, settled_up_to) of every source, with their rows locked until the transaction ends."""
    sources = sorted(_sources())
    db.session.execute(upsert(FoldWatermark).values(
        [{"source": source, "folded_up_to": 0, "settled_up_to": 0} for source in sources]
    ).on_conflict_do_nothing())
    rows = db.session.execute(
        select(FoldWatermark.source, FoldWatermark.folded_up_to, FoldWatermark.settled_up_to)
        .where(FoldWatermark.source.in_(sources)).order_by(FoldWatermark.source).with_for_update()
    ).all()
    return {row.source: (row.folded_up_to, row.settled_up_to) for row in rows}


def fold_batch(source: str, batch_size: int, settled: int | None = None) -> FoldOutcome:
    """Fold the next batch of events of one source, in one transaction with its watermark.

    `settled`: a settled mark found by `settled_mark` (PostgreSQL); on SQLite the mark is read here.
    """
    outcome = FoldOutcome()
    table = _sources()[source]
    with job_transaction():
        folded_up_to, settled_up_to = _locked_watermarks()[source]
        if db.session.get_bind().dialect.name != "postgresql":
            settled = db.session.scalar(select(func.max(table.c.id))) or 0
        settled_up_to = max(settled_up_to, settled or 0)
        if folded_up_to >= settled_up_to:
            return outcome
        deltas = CellDeltas()
        if source == NEW_ANSWERS:
            last_read, pairs = _fold_new_answers(folded_up_to, settled_up_to, batch_size, deltas, outcome)
            labels: dict[int, EffectiveLabel] = {}
        else:
            events = db.session.execute(
                select(table.c.id, table.c.answer_id)
                .where(table.c.id > folded_up_to, table.c.id <= settled_up_to).order_by(table.c.id).limit(batch_size)
            ).all()
            last_read = events[-1].id if len(events) == batch_size else settled_up_to
            outcome.label_events = len(events)
            labels, pairs = _refold_labels({event.answer_id for event in events}, deltas, outcome)
        _refold_agreements(pairs, labels, deltas)
        outcome.maps = deltas.write()
        _count_versions(outcome.maps)
        db.session.execute(
            update(FoldWatermark).where(FoldWatermark.source == source)
            .values(folded_up_to=last_read, settled_up_to=settled_up_to, folded_at=utcnow())
        )
        outcome.batches = 1
    return outcome


def _fold_new_answers(after: int, up_to: int, limit: int, deltas: CellDeltas,
                      outcome: FoldOutcome) -> tuple[int, set[tuple[int, int]]]:
    """Add the rating and emotion-picker answers with ids in (after, up_to], at most `limit` of them."""
    rows = db.session.execute(
        _answer_rows().where(ANSWER.c.id > after, ANSWER.c.id <= up_to, QUESTION.c.kind.in_(FOLDED_ON_ARRIVAL))
        .order_by(ANSWER.c.id).limit(limit)
    ).all()
    for row in rows:
        deltas.add(cell_of(row), arrival_counts(row.kind, row.number, row.choices))
    outcome.answers = len(rows)
    pairs = {(row.response_id, row.stage_id) for row in rows if row.kind == QuestionKind.EMOTION}
    return (rows[-1].id if len(rows) == limit else up_to), pairs


def _refold_labels(answer_ids: set[int], deltas: CellDeltas,
                   outcome: FoldOutcome) -> tuple[dict[int, EffectiveLabel], set[tuple[int, int]]]:
    """Move each answer's counts from the label it was folded with to its effective label now."""
    if not answer_ids:
        return {}, set()
    rows = db.session.execute(_answer_rows().where(ANSWER.c.id.in_(answer_ids))).all()
    labels = effective_labels(answer_ids)
    records = {record.answer_id: record for record in db.session.execute(
        select(FoldedLabel.__table__).where(FoldedLabel.__table__.c.answer_id.in_(answer_ids)))}
    new_records, stale, quotes = [], [], []
    for row in sorted(rows, key=lambda row: row.id):
        key, label, record = cell_of(row), labels.get(row.id), records.get(row.id)
        desired = None if label is None else LabelContribution.of_label(key.text, label)
        counted = None if record is None else LabelContribution.of_record(record)
        if desired != counted:
            outcome.labels_changed += 1
            if counted is not None:
                deltas.add(key if counted.cell_key == key.text else counted.cell_key, counted.counts(), -1)
            if desired is not None:
                deltas.add(key, desired.counts())
        elif label is None or (record.source, record.label_version) == (label.source, label.version):
            continue  # nothing to write
        if record is not None:
            stale.append(row.id)
        if desired is not None:
            new_records.append({
                "answer_id": row.id, "cell_key": key.text, "source": label.source, "label_version": label.version,
                "supported": desired.supported, "valence": desired.valence, "emotions": list(desired.emotions),
                "blockers": list(desired.blockers), "complaint": desired.complaint,
            })
            quotes.extend({"answer_id": row.id, "blocker": blocker, "stage_id": key.stage_id,
                           "persona_id": key.persona_id, "survey_id": key.survey_id,
                           "touchpoint_id": key.touchpoint_id, "language": key.language,
                           "submitted_at": row.submitted_at} for blocker in desired.blockers)
    if stale:
        db.session.execute(delete(BlockerQuote).where(BlockerQuote.answer_id.in_(stale)))
        db.session.execute(delete(FoldedLabel).where(FoldedLabel.answer_id.in_(stale)))
    if new_records:
        db.session.execute(FoldedLabel.__table__.insert(), new_records)
    if quotes:
        db.session.execute(BlockerQuote.__table__.insert(), quotes)
    # Agreement can only change at stages with an emotion question.
    picker_stages = set(db.session.scalars(
        select(Question.stage_id).where(Question.kind == QuestionKind.EMOTION,
                                        Question.stage_id.in_({row.stage_id for row in rows})).distinct()))
    return labels, {(row.response_id, row.stage_id) for row in rows if row.stage_id in picker_stages}


def _refold_agreements(pairs: set[tuple[int, int]], labels: dict[int, EffectiveLabel], deltas: CellDeltas) -> None:
    """Bring the agreement counts of these (response, stage) pairs in line with their answers and labels."""
    if not pairs:
        return
    desired = desired_agreements(pairs, labels)
    records = {
        (record.response_id, record.stage_id): record
        for record in db.session.execute(
            select(FoldedAgreement.__table__)
            .where(FoldedAgreement.__table__.c.response_id.in_({pair[0] for pair in pairs})))
        if (record.response_id, record.stage_id) in pairs
    }
    stale, new_records = [], []
    for pair in sorted(pairs):
        record, wanted = records.get(pair), desired.get(pair)
        counted = None if record is None else (record.cell_key, record.agree)
        if counted == (None if wanted is None else (wanted[0].text, wanted[1])):
            continue
        if record is not None:
            deltas.add(record.cell_key, {"agreement_n": 1, "agreement_agree": int(record.agree)}, -1)
            stale.append(pair)
        if wanted is not None:
            key, agree = wanted
            deltas.add(key, {"agreement_n": 1, "agreement_agree": int(agree)})
            new_records.append({"response_id": pair[0], "stage_id": pair[1], "cell_key": key.text, "agree": agree})
    if stale:
        db.session.execute(delete(FoldedAgreement).where(
            tuple_(FoldedAgreement.response_id, FoldedAgreement.stage_id).in_(stale)))
    if new_records:
        db.session.execute(FoldedAgreement.__table__.insert(), new_records)


def _count_versions(map_ids: set[int]) -> None:
    """One more change to these maps' figures (their cached charts are drawn again)."""
    if not map_ids:
        return
    now = utcnow()
    statement = upsert(MapFiguresVersion).values(
        [{"map_id": map_id, "version": 1, "changed_at": now} for map_id in sorted(map_ids)])
    statement = statement.on_conflict_do_update(
        index_elements=[MapFiguresVersion.map_id],
        set_={"version": MapFiguresVersion.version + 1, "changed_at": statement.excluded.changed_at},
    )
    db.session.execute(statement)


def fold_pending(batch_size: int = 1000, max_seconds: float | None = None) -> FoldOutcome:
    """Fold batches of new answers and label changes until none is left or `max_seconds` have passed."""
    deadline = None if max_seconds is None else time.monotonic() + max_seconds
    settled: dict[str, int | None] = {}
    if db.session.get_bind().dialect.name == "postgresql":
        settled = {source: settled_mark(table) for source, table in sorted(_sources().items())}
    total = FoldOutcome()
    pending = set(_sources())
    while pending and (deadline is None or time.monotonic() < deadline):
        for source in sorted(pending):
            outcome = fold_batch(source, batch_size, settled.get(source))
            if not outcome.batches:
                pending.discard(source)
                continue
            total.answers += outcome.answers
            total.label_events += outcome.label_events
            total.labels_changed += outcome.labels_changed
            total.batches += 1
            total.maps |= outcome.maps
    return total
