"""Inviting customers: personal links made one by one or imported from a CSV file, listed and exported.

Who an invitation is for is its dedupe key: the customer (external id, else e-mail) plus the order id.
The database holds it unique per survey, so importing the same list twice, or two imports racing each
other, never invites a customer twice for the same order.
"""
import csv
import io
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from webapp.extensions import db
from webapp.invitations.models import Invitation
from webapp.maps.models import Persona
from webapp.surveys.models import Survey

CSV_COLUMNS = ("external_id", "email", "name", "language", "order_id", "persona")
MAX_IMPORT_ROWS = 20_000
INSERT_BATCH_SIZE = 500
EXPORT_BATCH_SIZE = 1000
# Column lengths of the invitation table.
MAX_LENGTHS = {"external_id": 120, "email": 254, "name": 200, "order_id": 120}


class InvitationError(ValueError):
    """Customers cannot be invited as asked; the message says why. `field` names the form field concerned."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class ImportReport:
    """What an import did. Rows are numbered as in a spreadsheet: the header is row 1."""

    created: int = 0
    already_invited: int = 0  # invited before, or by an earlier row of the same file
    failed_rows: list[tuple[int, str]] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)


class InvitationStatus:
    NOT_OPENED = "not_opened"
    OPENED = "opened"
    ANSWERED = "answered"
    ALL = (NOT_OPENED, OPENED, ANSWERED)


def invitation_dedupe_key(external_id: str = "", email: str = "", order_id: str = "") -> str:
    """Who an invitation is for: the external id (else the lower-cased e-mail), a bar, the order id."""
    return (external_id.strip() or email.strip().lower()) + "|" + order_id.strip()


def invitation_status(invitation: Invitation) -> str:
    if invitation.answered_at is not None:
        return InvitationStatus.ANSWERED
    if invitation.opened_at is not None:
        return InvitationStatus.OPENED
    return InvitationStatus.NOT_OPENED


def personal_link(invitation: Invitation) -> str | None:
    """The address the customer opens, or None while the customer pages are not installed."""
    if "responses.personal_link" not in current_app.view_functions:
        return None
    return url_for("responses.personal_link", token=invitation.token, _external=True)


def survey_languages(survey: Survey) -> list[str]:
    """The languages customers can be invited in: those of the live version."""
    version = survey.live_version
    return list(version.languages) if version is not None else []


def require_invitable(survey: Survey) -> None:
    """Refuse invitations to a survey customers cannot answer now."""
    if survey.closed_at is not None:
        raise InvitationError(_("This survey is closed. Reopen it before inviting customers."))
    if survey.live_version is None:
        raise InvitationError(_("This survey is not published yet. Publish it before inviting customers."))


def _checked_values(survey: Survey, external_id: str, email: str, name: str, language: str | None,
                    order_id: str, persona: Persona | None) -> dict:
    """The columns of a new invitation, after checking every value."""
    values = {"external_id": external_id.strip(), "email": email.strip(), "name": name.strip(),
              "order_id": order_id.strip()}
    if not values["external_id"] and not values["email"]:
        raise InvitationError(_("Give the customer's external id or e-mail address (or both)."),
                              field="external_id")
    for column, limit in MAX_LENGTHS.items():
        if len(values[column]) > limit:
            raise InvitationError(_("%(column)s is longer than %(count)d characters.", column=column, count=limit),
                                  field=column)
    if values["email"]:
        try:
            validate_email(values["email"], check_deliverability=False)
        except EmailNotValidError:
            raise InvitationError(_("“%(email)s” is not a valid e-mail address.", email=values["email"]),
                                  field="email") from None
    language = (language or "").strip().lower() or None
    if language is not None and language not in survey_languages(survey):
        raise InvitationError(
            _("Language “%(language)s” is not one of the survey's languages (%(languages)s).",
              language=language, languages=", ".join(survey_languages(survey))),
            field="language",
        )
    if persona is not None and persona.map_id != survey.map_id:
        raise InvitationError(_("Choose a persona of this survey's journey map."), field="persona")
    return values | {
        "language": language,
        "persona_id": persona.id if persona is not None else None,
        "dedupe_key": invitation_dedupe_key(values["external_id"], values["email"], values["order_id"]),
    }


def _insert(survey: Survey, values: dict) -> Invitation | None:
    """Insert one invitation in a savepoint; None when the customer is already invited for this order."""
    invitation = Invitation(survey_id=survey.id, token=secrets.token_urlsafe(24), **values)
    try:
        with db.session.begin_nested():
            db.session.add(invitation)
            db.session.flush()
    except IntegrityError:
        return None
    return invitation


def _already_invited_keys(survey: Survey, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), INSERT_BATCH_SIZE):
        found.update(db.session.scalars(
            select(Invitation.dedupe_key).where(
                Invitation.survey_id == survey.id,
                Invitation.dedupe_key.in_(keys[start:start + INSERT_BATCH_SIZE]),
            )
        ))
    return found


def create_invitation(survey: Survey, external_id: str = "", email: str = "", name: str = "",
                      language: str | None = None, order_id: str = "", persona: Persona | None = None) -> Invitation:
    """Invite one customer; the caller commits."""
    require_invitable(survey)
    values = _checked_values(survey, external_id, email, name, language, order_id, persona)
    # Checking first gives the clear message; the unique constraint still catches a concurrent insert.
    invitation = None if _already_invited_keys(survey, [values["dedupe_key"]]) else _insert(survey, values)
    if invitation is None:
        raise InvitationError(
            _("This customer is already invited for this order.") if values["order_id"]
            else _("This customer is already invited."),
            field="external_id" if values["external_id"] else "email",
        )
    return invitation


def _decoded(file_bytes: bytes) -> str:
    """The file's text: UTF-8, with or without a byte order mark."""
    if not file_bytes.strip():
        raise InvitationError(_("The file is empty."), field="file")
    try:
        text = file_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvitationError(
            _("This file is not a CSV file in UTF-8. In your spreadsheet, save it as “CSV UTF-8” and upload it again."),
            field="file",
        ) from None
    if "\x00" in text:
        raise InvitationError(_("This file is not a CSV file. Upload a CSV file of customers."), field="file")
    return text


def _csv_rows(text: str) -> list[list[str]]:
    """Every record of the file; the separator (comma or semicolon) is the one the header row uses."""
    header_line = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise InvitationError(_("The file could not be read as CSV: %(error)s", error=str(error)),
                              field="file") from None


def _header_columns(header: list[str]) -> tuple[list[str], list[str]]:
    """The header's column names, normalised, and the ones this import does not know."""
    columns = [name.strip().lower().replace(" ", "_").replace("-", "_") for name in header]
    if not {"external_id", "email"} & set(columns):
        raise InvitationError(
            _("The first row must name the columns, with external_id or email among them. Columns: %(columns)s.",
              columns=", ".join(CSV_COLUMNS)),
            field="file",
        )
    repeated = sorted({column for column in columns if column and columns.count(column) > 1})
    if repeated:
        raise InvitationError(_("The header names these columns twice: %(columns)s.", columns=", ".join(repeated)),
                              field="file")
    unknown = [name.strip() for name, column in zip(header, columns) if column and column not in CSV_COLUMNS]
    return columns, unknown


def _row_values(survey: Survey, columns: list[str], cells: list[str], personas: dict[str, Persona]) -> dict:
    """The invitation a CSV row stands for; raises InvitationError saying what is wrong with it."""
    if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns):]):
        raise InvitationError(_("The row has %(cells)d cells but the header names %(columns)d columns.",
                                cells=len(cells), columns=len(columns)))
    record = {column: "" for column in CSV_COLUMNS}
    record.update({column: cell for column, cell in zip(columns, cells) if column in CSV_COLUMNS})
    persona = None
    if record["persona"].strip():
        persona = personas.get(record["persona"].strip().casefold())
        if persona is None:
            raise InvitationError(_("Persona “%(persona)s” is not one of the map's personas (%(personas)s).",
                                    persona=record["persona"].strip(),
                                    personas=", ".join(p.name for p in personas.values())))
    return _checked_values(survey, record["external_id"], record["email"], record["name"],
                           record["language"], record["order_id"], persona)


def import_invitations(survey: Survey, file_bytes: bytes) -> ImportReport:
    """Invite every customer of a CSV file; bad rows are reported and skipped, the rest imported.

    Refuses the whole file (InvitationError, nothing stored) when it is not a readable CSV of customers.
    The caller commits.
    """
    require_invitable(survey)
    rows = _csv_rows(_decoded(file_bytes))
    columns, unknown = _header_columns(rows[0])
    records = [(number, cells) for number, cells in enumerate(rows[1:], start=2) if any(c.strip() for c in cells)]
    if not records:
        raise InvitationError(_("The file has a header row but no customers."), field="file")
    if len(records) > MAX_IMPORT_ROWS:
        raise InvitationError(
            _("The file has %(count)d customers; import at most %(max)d at a time by splitting it into smaller files.",
              count=len(records), max=MAX_IMPORT_ROWS),
            field="file",
        )
    report = ImportReport(unknown_columns=unknown)
    personas = {persona.name.strip().casefold(): persona for persona in survey.journey_map.personas}
    new: dict[str, dict] = {}
    for number, cells in records:
        try:
            values = _row_values(survey, columns, cells, personas)
        except InvitationError as error:
            report.failed_rows.append((number, str(error)))
            continue
        if values["dedupe_key"] in new:
            report.already_invited += 1
        else:
            new[values["dedupe_key"]] = values
    invited = _already_invited_keys(survey, list(new))
    report.already_invited += len(invited)
    _insert_all(survey, [values for key, values in new.items() if key not in invited], report)
    return report


def _insert_all(survey: Survey, rows: list[dict], report: ImportReport) -> None:
    """Insert in batches; a batch that clashes with a concurrent import is retried row by row."""
    for start in range(0, len(rows), INSERT_BATCH_SIZE):
        batch = rows[start:start + INSERT_BATCH_SIZE]
        try:
            with db.session.begin_nested():
                db.session.add_all(
                    Invitation(survey_id=survey.id, token=secrets.token_urlsafe(24), **values) for values in batch
                )
                db.session.flush()
            report.created += len(batch)
        except IntegrityError:
            for values in batch:
                if _insert(survey, values) is None:
                    report.already_invited += 1
                else:
                    report.created += 1


def invitations_query(survey: Survey, status: str | None = None) -> Select:
    """The survey's invitations, newest first, optionally only those with this status."""
    query = select(Invitation).where(Invitation.survey_id == survey.id)
    if status == InvitationStatus.ANSWERED:
        query = query.where(Invitation.answered_at.is_not(None))
    elif status == InvitationStatus.OPENED:
        query = query.where(Invitation.opened_at.is_not(None), Invitation.answered_at.is_(None))
    elif status == InvitationStatus.NOT_OPENED:
        query = query.where(Invitation.opened_at.is_(None), Invitation.answered_at.is_(None))
    return query.options(selectinload(Invitation.persona)).order_by(Invitation.created_at.desc(),
                                                                     Invitation.id.desc())


def status_counts(survey: Survey) -> dict[str, int]:
    """How many of the survey's invitations have each status, and "all"."""
    answered = Invitation.answered_at.is_not(None)
    opened = and_(Invitation.opened_at.is_not(None), Invitation.answered_at.is_(None))
    row = db.session.execute(
        select(func.count(), func.count(case((answered, 1))), func.count(case((opened, 1))))
        .where(Invitation.survey_id == survey.id)
    ).one()
    return {"all": row[0], InvitationStatus.ANSWERED: row[1], InvitationStatus.OPENED: row[2],
            InvitationStatus.NOT_OPENED: row[0] - row[1] - row[2]}


EXPORT_HEADER = ("external_id", "email", "name", "language", "order_id", "persona", "link", "status",
                 "created_at", "opened_at", "answered_at")


def _iso(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment is not None else ""


def export_rows(survey: Survey) -> Iterator[tuple]:
    """Every invitation of the survey as an EXPORT_HEADER row, oldest first, read in batches as they are used.

    Each batch is read in its own short transaction, so a slow download holds no database lock.
    """
    return _export_batches(survey.id)


def _export_batches(survey_id: int) -> Iterator[tuple]:
    last_id = 0
    while True:
        batch = db.session.execute(
            select(Invitation, Persona.name)
            .outerjoin(Persona, Persona.id == Invitation.persona_id)
            .where(Invitation.survey_id == survey_id, Invitation.id > last_id)
            .order_by(Invitation.id)
            .limit(EXPORT_BATCH_SIZE)
        ).all()
        rows = [
            (invitation.external_id, invitation.email, invitation.name, invitation.language or "",
             invitation.order_id, persona_name or "", personal_link(invitation) or "",
             invitation_status(invitation), _iso(invitation.created_at), _iso(invitation.opened_at),
             _iso(invitation.answered_at))
            for invitation, persona_name in batch
        ]
        last_id = batch[-1][0].id if batch else last_id
        db.session.rollback()
        yield from rows
        if len(batch) < EXPORT_BATCH_SIZE:
            return
