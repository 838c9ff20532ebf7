"""The support queue's rules: what enters it, how staff change items without losing each other's work,
and the human labels that win over the machine's."""
import csv
import hashlib
import io
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import String, case, cast, exists, func, or_, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from webapp.analysis.models import AnswerLabel, LabelWrite
from webapp.auth.models import Role, User
from webapp.database import utcnow
from webapp.extensions import db
from webapp.invitations.models import Invitation
from webapp.labels import BLOCKERS, EMOTIONS
from webapp.maps.aggregates import settled_mark
from webapp.maps.models import Stage, Touchpoint
from webapp.responses.models import Answer, Response
from webapp.support.models import (
    EnqueueWatermark,
    CHANNEL_LENGTH,
    CUSTOMER_REFERENCE_LENGTH,
    ORDER_ID_LENGTH,
    TAG_LENGTH,
    ApiToken,
    AuditEntry,
    HumanLabel,
    HumanLabelWrite,
    ItemOrigin,
    ItemStatus,
    SupportItem,
)
from webapp.transactions import job_transaction, upsert

# The fields an outside complaint may carry, and what each must be.
COMPLAINT_FIELDS = ("text", "channel", "stage_id", "touchpoint_id", "order_id", "customer_reference", "language")
TEXT_LIMITS = {"channel": CHANNEL_LENGTH, "order_id": ORDER_ID_LENGTH,
               "customer_reference": CUSTOMER_REFERENCE_LENGTH, "language": 8}
MAX_TAGS = 20


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a staff account, or a system (`user_id` None) such as an API token."""

    name: str
    user_id: int | None = None


class ComplaintInvalid(ValueError):
    """An outside complaint that cannot be stored; `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str], too_large: bool = False):
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors
        self.too_large = too_large


class StaleItem(Exception):
    """Someone changed the item since the version this update was made against; `changes` says what."""

    def __init__(self, item: SupportItem, changes: list[AuditEntry]):
        super().__init__(f"item {item.id} changed since: now version {item.version}")
        self.item = item
        self.changes = changes


class LabelInvalid(ValueError):
    pass


# --- Outside complaints -----------------------------------------------------------------------------------

def checked_complaint(data: Mapping) -> dict:
    """The fields of an outside complaint, checked and cleaned; raises ComplaintInvalid naming each problem."""
    errors: dict[str, str] = {}
    unknown = sorted(set(data) - set(COMPLAINT_FIELDS))
    for name in unknown:
        errors[name] = "unknown field"
    fields: dict = {}
    text = data.get("text")
    too_large = False
    if not isinstance(text, str) or not text.strip():
        errors["text"] = "required: the complaint's text"
    elif len(text) > current_app.config["SUPPORT_MAX_TEXT_LENGTH"]:
        errors["text"] = f"too long: at most {current_app.config['SUPPORT_MAX_TEXT_LENGTH']} characters"
        too_large = True
    else:
        fields["text"] = text.strip()
    for name, limit in TEXT_LIMITS.items():
        value = data.get(name)
        if value is None or value == "":
            fields[name] = None
        elif not isinstance(value, str):
            errors[name] = "must be text"
        elif len(value.strip()) > limit:
            errors[name] = f"too long: at most {limit} characters"
        else:
            fields[name] = value.strip() or None
    for name in ("stage_id", "touchpoint_id"):
        value = data.get(name)
        if value is None or value == "":
            fields[name] = None
        elif isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
            errors[name] = "must be a whole number"
        else:
            fields[name] = int(value)
    if fields.get("stage_id") is not None and db.session.get(Stage, fields["stage_id"]) is None:
        errors["stage_id"] = "no such stage"
    if fields.get("touchpoint_id") is not None and "stage_id" not in errors:
        touchpoint = db.session.get(Touchpoint, fields["touchpoint_id"])
        if touchpoint is None:
            errors["touchpoint_id"] = "no such touchpoint"
        elif fields.get("stage_id") is not None and touchpoint.stage_id != fields["stage_id"]:
            errors["touchpoint_id"] = "not a touchpoint of this stage"
        elif fields.get("stage_id") is None:
            fields["stage_id"] = touchpoint.stage_id
    if errors:
        raise ComplaintInvalid(errors, too_large=too_large and len(errors) == 1)
    return fields


def _default_classifier():
    from webapp.analysis.releases import current_classifier  # the model loads only where complaints arrive

    return current_classifier()


def label_ids_text(label_ids: Iterable[str]) -> str:
    """Label ids as the queue filters them: " anger frustration " (see SupportItem.emotion_ids)."""
    return f" {' '.join(label_ids)} "


def counted_label_fields(valence: float | None, emotions: Iterable[str], blockers: Iterable[str],
                         complaint: bool) -> dict:
    """The item columns of the label that counts."""
    return {"valence": valence, "complaint": bool(complaint), "emotion_ids": label_ids_text(emotions),
            "blocker_ids": label_ids_text(blockers)}


def machine_label_fields(result: dict, model_version: str) -> dict:
    """The item columns of one classifier result (its counted label too: staff have not labelled it yet)."""
    label = {key: result.get(key) for key in ("lang", "supported", "valence", "emotions", "scores", "blockers",
                                              "blocker_scores", "complaint", "evidence")}
    return {"machine_model": model_version, "machine_label": label,
            **counted_label_fields(label["valence"], label["emotions"] or (), label["blockers"] or (),
                                   label["complaint"])}


def create_complaints(records: Sequence[Mapping], origin: ItemOrigin, actor: Actor, classifier=None,
                      positions: Sequence[int] | None = None) -> list[SupportItem]:
    """Check, label and add outside complaints, all or none; raises ComplaintInvalid before anything is added.

    Problems of a batch are named "<position>.<field>": the record's place in `records` from 1, or its
    entry in `positions` (a file's line numbers)."""
    checked = []
    for position, record in zip(positions or range(1, len(records) + 1), records):
        try:
            checked.append(checked_complaint(record))
        except ComplaintInvalid as error:
            if len(records) == 1 and positions is None:
                raise
            raise ComplaintInvalid({f"{position}.{name}": message for name, message in error.errors.items()},
                                   error.too_large) from error
    classifier = classifier or _default_classifier()
    results = classifier.classify_many([(fields["text"], fields["language"]) for fields in checked])
    items = []
    now = utcnow()
    for fields, result in zip(checked, results):
        language = fields.pop("language") or result.get("lang")
        item = SupportItem(origin=origin, language=language, received_at=now, updated_at=now, tags=[], note="",
                           status=ItemStatus.NEW, **fields, **machine_label_fields(result, classifier.version))
        db.session.add(item)
        items.append(item)
    db.session.flush()
    for item in items:
        _audit(item, actor, "created", None, origin.value, now)
    db.session.flush()
    return items


def import_complaints(file_bytes: bytes, actor: Actor, classifier=None) -> list[SupportItem]:
    """Add the complaints of a CSV file (a header row naming COMPLAINT_FIELDS, comma or semicolon separated),
    all or none; problems are named by row (the header is row 1) and column (ComplaintInvalid)."""
    try:
        text = file_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ComplaintInvalid({"file": "not UTF-8 text: save it as 'CSV UTF-8' and upload it again"}) from None
    first_line = text.splitlines()[0] if text.strip() else ""
    if not first_line or "\x00" in text:
        raise ComplaintInvalid({"file": "empty, or not a CSV file"})
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise ComplaintInvalid({"file": f"cannot be read as CSV: {error}"}) from None
    header = [name.strip().lower().replace(" ", "_") for name in rows[0]]
    unknown = [name for name in header if name not in COMPLAINT_FIELDS]
    if "text" not in header or unknown or len(set(header)) != len(header):
        raise ComplaintInvalid({"file": "the first row must name each column once, with text among them; "
                                        f"columns: {', '.join(COMPLAINT_FIELDS)}"
                                        + (f" (unknown: {', '.join(unknown)})" if unknown else "")})
    lines = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(cell.strip() for cell in row)]
    records = [dict(zip(header, (cell.strip() for cell in row))) for _number, row in lines]
    if not records:
        raise ComplaintInvalid({"file": "no complaints below the header row"})
    limit = current_app.config["SUPPORT_IMPORT_MAX_ROWS"]
    if len(records) > limit:
        raise ComplaintInvalid({"file": f"too many rows: at most {limit} at once"})
    return create_complaints(records, ItemOrigin.CSV, actor, classifier, [number for number, _row in lines])


# --- Survey answers -----------------------------------------------------------------------------------------

def flagged_condition(threshold: float):
    """Labels that put an answer in the queue: a complaint, a valence at or below `threshold`, or a blocker."""
    label = AnswerLabel.__table__.c
    return or_(label.complaint, label.valence <= threshold, cast(label.blockers, String) != "[]")


ENQUEUE_SOURCE = "label_write"


def _locked_watermark() -> int:
    """The enqueue job's place in the label log, its row locked until the transaction ends."""
    db.session.execute(upsert(EnqueueWatermark).values(source=ENQUEUE_SOURCE, read_up_to=0).on_conflict_do_nothing())
    return db.session.scalar(select(EnqueueWatermark.read_up_to).where(EnqueueWatermark.source == ENQUEUE_SOURCE)
                             .with_for_update())


def enqueue_flagged_answers(batch_size: int = 500, threshold: float | None = None) -> int:
    """Queue the survey answers whose new machine labels flag them, and refresh the machine label of queued
    ones; return how many items were added or refreshed.

    The job reads the label log (`label_write`) after its watermark, a batch per transaction with the
    watermark row locked, so two processes take turns and each label is looked at once. On PostgreSQL it
    reads only up to the log's settled mark (see webapp/maps/aggregates.py), so a label committed late,
    with a smaller id, is never passed over. Each item is an upsert on its answer: idempotent either way.
    """
    threshold = current_app.config["SUPPORT_NEGATIVE_VALENCE"] if threshold is None else threshold
    log = LabelWrite.__table__
    settled = settled_mark(log) if db.session.get_bind().dialect.name == "postgresql" else None
    total = 0
    while True:
        with job_transaction():
            read_up_to = _locked_watermark()
            if settled is None:
                settled = db.session.scalar(select(func.max(log.c.id))) or 0
            events = db.session.execute(
                select(log.c.id, log.c.answer_id).where(log.c.id > read_up_to, log.c.id <= settled)
                .order_by(log.c.id).limit(batch_size)).all()
            if not events:
                return total
            total += _enqueue_answers({event.answer_id for event in events}, threshold)
            last_read = events[-1].id if len(events) == batch_size else settled
            db.session.execute(update(EnqueueWatermark).where(EnqueueWatermark.source == ENQUEUE_SOURCE)
                               .values(read_up_to=last_read))
            if len(events) < batch_size:
                return total


def _enqueue_answers(answer_ids: set[int], threshold: float) -> int:
    """Queue those of these answers that are flagged and not queued yet; refresh those queued already.
    Return how many items were added or refreshed."""
    label, answer, item = AnswerLabel.__table__.c, Answer.__table__.c, SupportItem.__table__.c
    rows = db.session.execute(
        select(answer.id, answer.text, answer.stage_id, answer.touchpoint_id, answer.submitted_at,
               label.model_version, label.lang, label.supported, label.valence, label.emotions,
               label.scores, label.blockers, label.blocker_scores, label.complaint, label.evidence,
               Invitation.order_id, Invitation.external_id)
        .select_from(AnswerLabel.__table__)
        .join(Answer.__table__, answer.id == label.answer_id)
        .join(Response.__table__, Response.id == answer.response_id)
        .outerjoin(Invitation.__table__, Invitation.id == Response.invitation_id)
        .outerjoin(SupportItem.__table__, item.answer_id == label.answer_id)
        .where(label.answer_id.in_(answer_ids), label.unlabelable.is_(None), answer.text.is_not(None),
               or_(item.id.is_not(None), flagged_condition(threshold)))
        .order_by(answer.id)
    ).all()
    if not rows:
        return 0
    now = utcnow()
    values = [{
        "origin": ItemOrigin.SURVEY.value, "answer_id": row.id, "text": row.text, "stage_id": row.stage_id,
        "touchpoint_id": row.touchpoint_id, "language": row.lang, "order_id": row.order_id or None,
        "customer_reference": (row.external_id or "")[:CUSTOMER_REFERENCE_LENGTH] or None,
        "status": ItemStatus.NEW.value, "tags": [], "note": "", "version": 1, "received_at": row.submitted_at,
        "updated_at": now, **machine_label_fields(row._asdict(), row.model_version),
    } for row in rows]
    statement = upsert(SupportItem)
    # An item staff labelled keeps counting with their label; only its machine label is refreshed.
    labelled = exists().where(HumanLabel.item_id == item.id)
    statement = statement.on_conflict_do_update(index_elements=[SupportItem.answer_id], set_={
        **{name: statement.excluded[name] for name in ("machine_model", "machine_label", "language")},
        **{name: case((labelled, item[name]), else_=statement.excluded[name])
           for name in ("valence", "complaint", "emotion_ids", "blocker_ids")},
    })
    db.session.execute(statement, values)
    return len(rows)


# --- Staff changes ------------------------------------------------------------------------------------------

def _audit(item: SupportItem, actor: Actor, field_name: str, before, after, now: datetime) -> None:
    db.session.add(AuditEntry(item_id=item.id, item_version=item.version, user_id=actor.user_id, actor=actor.name,
                              field=field_name, before=before, after=after, changed_at=now))


def support_staff() -> list[User]:
    """Active accounts that may work the queue, by name."""
    return list(db.session.scalars(select(User).where(User.active, User.role.in_((Role.SUPPORT, Role.ADMIN)))
                                   .order_by(User.name, User.id)))


def changes_since(item: SupportItem, version: int) -> list[AuditEntry]:
    """The audit entries of changes made after `version` of the item."""
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.item_id == item.id,
                                                            AuditEntry.item_version > version)
                                   .order_by(AuditEntry.id)))


def _check_version(item: SupportItem, expected_version: int) -> None:
    if item.version != expected_version:
        raise StaleItem(item, changes_since(item, expected_version))


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags as stored: trimmed, lower case, each once, in the order given."""
    cleaned = list(dict.fromkeys(tag.strip().lower()[:TAG_LENGTH] for tag in tags if tag and tag.strip()))
    return cleaned[:MAX_TAGS]


def _stored_value(name: str, value):
    return value.value if isinstance(value, ItemStatus) else value


def update_item(item: SupportItem, expected_version: int, actor: Actor, **changes) -> list[str]:
    """Change status, assignee_id, tags or note of an item seen at `expected_version`; return the fields
    that changed. Raises StaleItem, changing nothing, when someone changed the item since."""
    _check_version(item, expected_version)
    if "tags" in changes:
        changes["tags"] = clean_tags(changes["tags"])
    if "status" in changes:
        changes["status"] = ItemStatus(changes["status"])
    changed = [name for name in ("status", "assignee_id", "tags", "note")
               if name in changes and changes[name] != getattr(item, name)]
    if not changed:
        return []
    now = utcnow()
    befores = {name: _stored_value(name, getattr(item, name)) for name in changed}
    for name in changed:
        setattr(item, name, changes[name])
    item.updated_at = now
    _flush_version(item, expected_version)
    for name in changed:
        _audit(item, actor, name, befores[name], _stored_value(name, changes[name]), now)
    db.session.flush()
    return changed


def _flush_version(item: SupportItem, expected_version: int) -> None:
    """Write the item; its UPDATE names the version read, so a change committed meanwhile makes it fail."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        fresh = db.session.get(SupportItem, item.id, populate_existing=True)
        raise StaleItem(fresh, changes_since(fresh, expected_version)) from None


# --- Labels -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemLabel:
    """The label an item is shown and counted with: staff's when they gave one, else the machine's."""

    source: str  # "human", "machine" or "none"
    valence: float | None = None
    emotions: tuple[str, ...] = ()
    blockers: tuple[str, ...] = ()
    complaint: bool = False
    scores: dict = field(default_factory=dict)
    blocker_scores: dict = field(default_factory=dict)
    evidence: tuple[dict, ...] = ()
    model: str | None = None
    # What _labels.html reads of a label besides the above.
    supported: bool = True
    lang: str | None = None
    unlabelable: str | None = None


_NOT_READ = object()


def machine_label(item: SupportItem, answer_label=_NOT_READ) -> ItemLabel:
    """The machine's label of an item (its answer's current label for survey answers, read here unless given)."""
    if item.answer_id is not None:
        label = answer_label if answer_label is not _NOT_READ else db.session.scalar(
            select(AnswerLabel).where(AnswerLabel.answer_id == item.answer_id))
        result = None if label is None or label.unlabelable else {
            "valence": label.valence, "emotions": label.emotions, "blockers": label.blockers,
            "complaint": label.complaint, "scores": label.scores, "blocker_scores": label.blocker_scores,
            "evidence": label.evidence, "supported": label.supported, "lang": label.lang}
        model = None if label is None else label.model_version
    else:
        result, model = item.machine_label, item.machine_model
    if not result:
        return ItemLabel(source="none")
    return ItemLabel(source="machine", valence=result.get("valence"), emotions=tuple(result.get("emotions") or ()),
                     blockers=tuple(result.get("blockers") or ()), complaint=bool(result.get("complaint")),
                     scores=result.get("scores") or {}, blocker_scores=result.get("blocker_scores") or {},
                     evidence=tuple(result.get("evidence") or ()), model=model,
                     supported=bool(result.get("supported", True)) and result.get("valence") is not None,
                     lang=result.get("lang"))


def item_labels(items: Sequence[SupportItem]) -> dict[int, ItemLabel]:
    """The label that counts for each of these items, with one query for their answers' labels."""
    answer_ids = [item.answer_id for item in items if item.answer_id is not None]
    answer_labels = {label.answer_id: label for label in db.session.scalars(
        select(AnswerLabel).where(AnswerLabel.answer_id.in_(answer_ids)))} if answer_ids else {}
    return {item.id: item_label(item, answer_labels.get(item.answer_id)) for item in items}


def item_label(item: SupportItem, answer_label=_NOT_READ) -> ItemLabel:
    """The label that counts for this item: the human label when there is one."""
    machine = machine_label(item, answer_label)
    human = item.human_label
    if human is None:
        return machine
    kept = set(human.emotions) | set(human.blockers)
    return ItemLabel(source="human", valence=human.valence, emotions=tuple(human.emotions),
                     blockers=tuple(human.blockers), complaint=human.complaint,
                     scores=dict.fromkeys(human.emotions, 1.0), blocker_scores=dict.fromkeys(human.blockers, 1.0),
                     supported=human.valence is not None, lang=item.language,
                     evidence=tuple(span for span in machine.evidence if span.get("label") in kept), model=None)


def label_item(item: SupportItem, expected_version: int, actor: Actor, emotions: Iterable[str] | None = None,
               blockers: Iterable[str] | None = None, complaint: bool | None = None) -> HumanLabel:
    """Store staff's label of an item: the machine's labels confirmed (all arguments None) or corrected.

    The label wins over the machine's everywhere, maps included (a `human_label_write` row tells the fold),
    and outlives re-labelling by new models. Raises StaleItem or LabelInvalid, changing nothing.
    """
    _check_version(item, expected_version)
    machine = machine_label(item)
    new_emotions = list(dict.fromkeys(machine.emotions if emotions is None else emotions))
    new_blockers = list(dict.fromkeys(machine.blockers if blockers is None else blockers))
    unknown = [label for label in new_emotions if label not in EMOTIONS] + [
        label for label in new_blockers if label not in BLOCKERS]
    if unknown:
        raise LabelInvalid(f"unknown labels: {', '.join(unknown)}")
    new_complaint = machine.complaint if complaint is None else bool(complaint)
    confirmed = (set(new_emotions), set(new_blockers), new_complaint) == (
        set(machine.emotions), set(machine.blockers), machine.complaint)
    now = utcnow()
    human = item.human_label
    before = None if human is None else {"emotions": human.emotions, "blockers": human.blockers,
                                         "complaint": human.complaint}
    if human is None:
        human = HumanLabel(item_id=item.id, answer_id=item.answer_id, revision=0)
        item.human_label = human
    human.revision += 1
    # Staff judge emotions and blockers, not valence: the machine's stands, unless its language is not one
    # the machine reads (then the label counts in the mixes and blockers, not in the curve).
    human.valence = machine.valence if machine.supported else None
    human.emotions, human.blockers, human.complaint, human.confirmed = new_emotions, new_blockers, new_complaint, confirmed
    human.machine_model = machine.model
    human.machine_emotions, human.machine_blockers = list(machine.emotions), list(machine.blockers)
    human.labelled_by_id, human.labelled_at = actor.user_id, now
    for name, value in counted_label_fields(human.valence, new_emotions, new_blockers, new_complaint).items():
        setattr(item, name, value)
    item.updated_at = now
    _flush_version(item, expected_version)
    after = {"emotions": new_emotions, "blockers": new_blockers, "complaint": new_complaint}
    _audit(item, actor, "label confirmed" if confirmed else "label corrected", before, after, now)
    if item.answer_id is not None:
        db.session.add(HumanLabelWrite(answer_id=item.answer_id, written_at=now))
    db.session.flush()
    return human


# --- API tokens ---------------------------------------------------------------------------------------------

def token_digest(token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is as safe as a slow one and costs nothing per request.
    return hashlib.sha256(token.encode()).hexdigest()


class TokenNameTaken(ValueError):
    pass


def create_api_token(name: str) -> tuple[ApiToken, str]:
    """A new API token and its secret, which is stored only as a digest and must be shown now."""
    name = name.strip()
    if not name or len(name) > 80:
        raise TokenNameTaken("a token's name must be 1 to 80 characters")
    if db.session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise TokenNameTaken(f"a token named {name!r} exists already")
    secret = secrets.token_urlsafe(32)
    token = ApiToken(name=name, token_hash=token_digest(secret))
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_api_token(name: str) -> bool:
    token = db.session.scalar(select(ApiToken).where(ApiToken.name == name, ApiToken.revoked_at.is_(None)))
    if token is None:
        return False
    token.revoked_at = utcnow()
    return True


def token_for(secret: str | None) -> ApiToken | None:
    """The live token with this secret, or None."""
    if not secret:
        return None
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(secret),
                                                    ApiToken.revoked_at.is_(None)))


# --- The queue ----------------------------------------------------------------------------------------------

# Valence at or below this makes an item more urgent than others of its kind.
STRONG_NEGATIVE = -0.5
QUEUE_FILTERS = ("stage", "blocker", "emotion", "status", "assignee", "language")
UNASSIGNED = "none"


class FilterInvalid(ValueError):
    """A queue filter with a value that does not exist; `field` names it."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class QueueFilters:
    stage_id: int | None = None
    blocker: str | None = None
    emotion: str | None = None
    status: ItemStatus | None = None
    assignee: int | str | None = None  # a user id, or UNASSIGNED
    language: str | None = None

    def params(self) -> dict[str, str]:
        """The filters as a query string's values, for links that keep them."""
        values = {"stage": self.stage_id, "blocker": self.blocker, "emotion": self.emotion,
                  "status": self.status.value if self.status else None, "assignee": self.assignee,
                  "language": self.language}
        return {name: str(value) for name, value in values.items() if value is not None}


def queue_filters(args: Mapping[str, str]) -> QueueFilters:
    """The queue's filters from a query string; raises FilterInvalid naming the first unknown value."""
    values = {name: (args.get(name) or "").strip() for name in QUEUE_FILTERS}
    stage_id = None
    if values["stage"]:
        if not values["stage"].isdigit() or db.session.get(Stage, int(values["stage"])) is None:
            raise FilterInvalid("There is no such stage.", "stage")
        stage_id = int(values["stage"])
    if values["blocker"] and values["blocker"] not in BLOCKERS:
        raise FilterInvalid("There is no such blocker.", "blocker")
    if values["emotion"] and values["emotion"] not in EMOTIONS:
        raise FilterInvalid("There is no such emotion.", "emotion")
    if values["status"] and values["status"] not in {status.value for status in ItemStatus}:
        raise FilterInvalid("There is no such status.", "status")
    assignee: int | str | None = None
    if values["assignee"] == UNASSIGNED:
        assignee = UNASSIGNED
    elif values["assignee"]:
        if not values["assignee"].isdigit():
            raise FilterInvalid("There is no such assignee.", "assignee")
        assignee = int(values["assignee"])
    if values["language"] and (len(values["language"]) > 8 or not values["language"].isalpha()):
        raise FilterInvalid("There is no such language.", "language")
    return QueueFilters(stage_id=stage_id, blocker=values["blocker"] or None, emotion=values["emotion"] or None,
                        status=ItemStatus(values["status"]) if values["status"] else None, assignee=assignee,
                        language=values["language"] or None)


def queue_query(filters: QueueFilters):
    """Items matching the filters, most urgent first: open before resolved, complaints first, then strongly
    negative ones, then the oldest."""
    query = select(SupportItem).options(selectinload(SupportItem.human_label))
    if filters.stage_id is not None:
        query = query.where(SupportItem.stage_id == filters.stage_id)
    if filters.blocker:
        query = query.where(SupportItem.blocker_ids.like(f"% {filters.blocker} %"))
    if filters.emotion:
        query = query.where(SupportItem.emotion_ids.like(f"% {filters.emotion} %"))
    if filters.status:
        query = query.where(SupportItem.status == filters.status)
    if filters.assignee == UNASSIGNED:
        query = query.where(SupportItem.assignee_id.is_(None))
    elif filters.assignee is not None:
        query = query.where(SupportItem.assignee_id == filters.assignee)
    if filters.language:
        query = query.where(SupportItem.language == filters.language)
    return query.order_by(
        case((SupportItem.status == ItemStatus.RESOLVED, 1), else_=0),
        SupportItem.complaint.desc(),
        case((SupportItem.valence <= STRONG_NEGATIVE, 0), else_=1),
        SupportItem.received_at, SupportItem.id,
    )


def queue_languages() -> list[str]:
    return list(db.session.scalars(select(SupportItem.language).where(SupportItem.language.is_not(None))
                                   .distinct().order_by(SupportItem.language)))


# --- Bulk actions -------------------------------------------------------------------------------------------

@dataclass
class BulkOutcome:
    """What a bulk action did: items changed, and items left alone because someone changed them meanwhile."""

    changed: list[int] = field(default_factory=list)
    conflicts: list[StaleItem] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)


def parse_selection(values: Iterable[str]) -> list[tuple[int, int]]:
    """(item id, version seen) of each selected checkbox value "id:version"; malformed values are refused."""
    selection = []
    for value in values:
        item_id, _, version = value.partition(":")
        if not (item_id.isdigit() and version.isdigit()):
            raise ValueError(f"not an item selection: {value!r}")
        selection.append((int(item_id), int(version)))
    return selection


def bulk_update(selection: Sequence[tuple[int, int]], actor: Actor, status: str | None = None,
                assignee_id: int | None = None, add_tag: str | None = None) -> BulkOutcome:
    """Apply one change to each selected item seen at its version; items changed since are reported, not
    overwritten, and the others are changed."""
    outcome = BulkOutcome()
    items = {item.id: item for item in db.session.scalars(
        select(SupportItem).where(SupportItem.id.in_([item_id for item_id, _ in selection])))}
    for item_id, version in selection:
        item = items.get(item_id)
        if item is None:
            outcome.missing.append(item_id)
            continue
        changes: dict = {}
        if status:
            changes["status"] = status
        if assignee_id is not None:
            changes["assignee_id"] = assignee_id
        if add_tag and add_tag.strip():
            changes["tags"] = [*item.tags, add_tag]
        try:
            if update_item(item, version, actor, **changes):
                outcome.changed.append(item_id)
        except StaleItem as conflict:
            outcome.conflicts.append(conflict)
    return outcome


# --- Agreement between staff and the machine ----------------------------------------------------------------

@dataclass
class LabelAgreement:
    """For one label, over the items staff labelled: both said it, only the machine, only staff; in all and
    per month of labelling ("2026-11": [both, machine_only, staff_only])."""

    label: str
    both: int = 0
    machine_only: int = 0  # the machine was wrong: staff took it away
    staff_only: int = 0  # the machine missed it: staff added it
    months: dict[str, list[int]] = field(default_factory=dict)

    @property
    def judged(self) -> int:
        return self.both + self.machine_only + self.staff_only

    @property
    def agreement(self) -> float | None:
        return self.both / self.judged if self.judged else None

    def agreement_in(self, month: str) -> float | None:
        counts = self.months.get(month)
        return counts[0] / sum(counts) if counts else None

    def judged_in(self, month: str) -> int:
        return sum(self.months.get(month, ()))


@dataclass
class MonthAgreement:
    month: str  # "2026-11"
    labelled: int = 0
    confirmed: int = 0
    labels_agreed: int = 0  # label judgements where staff and machine agreed (`both` of every label)
    labels_judged: int = 0

    @property
    def share(self) -> float | None:
        return self.confirmed / self.labelled if self.labelled else None

    @property
    def label_share(self) -> float | None:
        return self.labels_agreed / self.labels_judged if self.labels_judged else None


def agreement_report() -> tuple[list[LabelAgreement], list[MonthAgreement]]:
    """How often staff agree with the machine: per label (those judged at least once, least agreed first),
    per label and month, and per month of labelling (the share of items whose labels staff confirmed
    unchanged, and the share of label judgements they agreed with)."""
    per_label: dict[str, LabelAgreement] = {}
    per_month: dict[str, MonthAgreement] = {}
    rows = db.session.execute(select(HumanLabel.labelled_at, HumanLabel.confirmed, HumanLabel.emotions,
                                     HumanLabel.blockers, HumanLabel.machine_emotions, HumanLabel.machine_blockers))
    for row in rows:
        name = f"{row.labelled_at:%Y-%m}"
        month = per_month.setdefault(name, MonthAgreement(name))
        month.labelled += 1
        month.confirmed += int(row.confirmed)
        for staff, machine in ((set(row.emotions), set(row.machine_emotions)),
                               (set(row.blockers), set(row.machine_blockers))):
            for label in staff | machine:
                counts = per_label.setdefault(label, LabelAgreement(label))
                in_month = counts.months.setdefault(name, [0, 0, 0])
                kind = 0 if label in staff and label in machine else 1 if label in machine else 2
                in_month[kind] += 1
                if kind == 0:
                    counts.both += 1
                    month.labels_agreed += 1
                elif kind == 1:
                    counts.machine_only += 1
                else:
                    counts.staff_only += 1
                month.labels_judged += 1
    labels = sorted(per_label.values(), key=lambda counts: (counts.agreement, -counts.judged, counts.label))
    return labels, [per_month[month] for month in sorted(per_month)]
