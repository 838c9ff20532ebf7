"""Inviting customers one by one and from CSV files, without HTTP."""
import pytest
from sqlalchemy import func, select

from tests.builders import build_invitation, build_survey
from webapp.database import utcnow
from webapp.extensions import db
from webapp.invitations import services
from webapp.invitations.models import Invitation
from webapp.invitations.services import (
    MAX_IMPORT_ROWS,
    InvitationError,
    InvitationStatus,
    create_invitation,
    export_rows,
    import_invitations,
    invitation_dedupe_key,
    invitations_query,
    status_counts,
)

HEADER = "external_id,email,name,language,order_id,persona\n"


def invitations(survey) -> list[Invitation]:
    return db.session.scalars(select(Invitation).where(Invitation.survey_id == survey.id).order_by(Invitation.id)).all()


def count(survey) -> int:
    return db.session.scalar(select(func.count()).select_from(Invitation).where(Invitation.survey_id == survey.id))


def test_dedupe_key_is_external_id_else_lower_cased_email_plus_order():
    assert invitation_dedupe_key("C-1", "Ana@Example.com", "O-9") == "C-1|O-9"
    assert invitation_dedupe_key("", " Ana@Example.com ", "") == "ana@example.com|"


def test_create_invitation_stores_a_personal_token_and_the_customer(survey):
    persona = survey.journey_map.personas[1]
    invitation = create_invitation(survey, external_id="C-1", email="ana@example.com", name="Ana Pop",
                                   language="ro", order_id="O-9", persona=persona)
    assert len(invitation.token) >= 32
    assert (invitation.external_id, invitation.language, invitation.order_id) == ("C-1", "ro", "O-9")
    assert invitation.persona_id == persona.id
    assert invitation.dedupe_key == "C-1|O-9"


def test_create_invitation_without_language_leaves_it_to_the_browser(survey):
    assert create_invitation(survey, email="ana@example.com").language is None


def test_create_invitation_needs_external_id_or_email(survey):
    with pytest.raises(InvitationError, match="external id or e-mail"):
        create_invitation(survey, name="Nobody")


def test_create_invitation_refuses_a_language_the_survey_is_not_in(request_context):
    survey = build_survey(languages=("en", "pl"))
    with pytest.raises(InvitationError, match="not one of the survey's languages"):
        create_invitation(survey, external_id="C-1", language="ro")


def test_create_invitation_refuses_an_invalid_email(survey):
    with pytest.raises(InvitationError, match="not a valid e-mail"):
        create_invitation(survey, email="ana.example.com")


def test_create_invitation_refuses_a_persona_of_another_map(survey):
    other = build_survey()
    with pytest.raises(InvitationError, match="persona"):
        create_invitation(survey, external_id="C-1", persona=other.journey_map.personas[0])


def test_create_invitation_refuses_the_same_customer_and_order_twice(survey):
    create_invitation(survey, email="Ana@example.com", order_id="O-1")
    with pytest.raises(InvitationError, match="already invited"):
        create_invitation(survey, email="ana@EXAMPLE.com", order_id="O-1")
    assert count(survey) == 1


def test_the_same_customer_can_be_invited_for_another_order(survey):
    create_invitation(survey, external_id="C-1", order_id="O-1")
    create_invitation(survey, external_id="C-1", order_id="O-2")
    assert count(survey) == 2


def test_unique_constraint_catches_what_a_concurrent_import_added_after_the_check(survey, monkeypatch):
    create_invitation(survey, external_id="C-1")
    # Another import commits C-1 between our check and our insert: the check sees nothing.
    monkeypatch.setattr(services, "_already_invited_keys", lambda survey, keys: set())
    report = import_invitations(survey, (HEADER + "C-1,,,,,\nC-2,,,,,\n").encode())
    assert (report.created, report.already_invited) == (1, 1)
    assert [i.external_id for i in invitations(survey)] == ["C-1", "C-2"]
    with pytest.raises(InvitationError, match="already invited"):
        create_invitation(survey, external_id="C-2")


@pytest.mark.parametrize("closed, published", [(True, True), (False, False)])
def test_no_invitation_to_a_closed_or_unpublished_survey(request_context, closed, published):
    survey = build_survey(publish=published)
    survey.closed_at = utcnow() if closed else None
    with pytest.raises(InvitationError, match="closed|not published"):
        create_invitation(survey, external_id="C-1")
    with pytest.raises(InvitationError, match="closed|not published"):
        import_invitations(survey, (HEADER + "C-1,,,,,\n").encode())


def test_import_creates_good_rows_and_reports_bad_ones_with_row_numbers(survey):
    csv_text = (HEADER
                + "C-1,ana@example.com,Ana,pl,O-1,Regular\n"
                + ",,No one,,,\n"
                + "C-3,not-an-email,Bad,,,\n"
                + "C-4,,Dan,de,,\n"
                + "C-5,,Eve,,,Shopaholic\n"
                + "C-6,eve@example.com,Eve,RO,,\n")
    report = import_invitations(survey, csv_text.encode())
    assert report.created == 2
    assert [number for number, _reason in report.failed_rows] == [3, 4, 5, 6]
    reasons = dict(report.failed_rows)
    assert "external id or e-mail" in reasons[3]
    assert "not a valid e-mail" in reasons[4]
    assert "“de”" in reasons[5]
    assert "Shopaholic" in reasons[6]
    assert [(i.external_id, i.language) for i in invitations(survey)] == [("C-1", "pl"), ("C-6", "ro")]


def test_import_matches_personas_by_name_ignoring_case(survey):
    import_invitations(survey, (HEADER + "C-1,,,,,  first-TIME buyer \nC-2,,,,,\n").encode())
    personas = [i.persona.name if i.persona else None for i in invitations(survey)]
    assert personas == ["First-time buyer", None]


def test_importing_the_same_file_twice_invites_no_one_twice(survey):
    data = (HEADER + "C-1,,,,O-1,\n,Ana@Example.com,,,,\n").encode()
    first = import_invitations(survey, data)
    second = import_invitations(survey, data)
    assert (first.created, first.already_invited) == (2, 0)
    assert (second.created, second.already_invited) == (0, 2)
    assert count(survey) == 2


def test_duplicates_within_one_file_are_invited_once(survey):
    report = import_invitations(survey, (HEADER + "C-1,,,,O-1,\nC-1,,Again,,O-1,\nC-1,,,,O-2,\n").encode())
    assert (report.created, report.already_invited) == (2, 1)


def test_import_reads_semicolons_bom_and_any_column_order(survey):
    data = "\ufeffEmail;Name;External_ID;Language\nana@example.com;Pop, Ana;C-1;pl\n".encode()
    report = import_invitations(survey, data)
    assert report.created == 1
    [invitation] = invitations(survey)
    assert (invitation.external_id, invitation.name, invitation.email) == ("C-1", "Pop, Ana", "ana@example.com")


def test_import_reports_unknown_columns_and_imports_the_rest(survey):
    report = import_invitations(survey, b"external_id,city\nC-1,Cluj\n")
    assert report.unknown_columns == ["city"]
    assert report.created == 1


def test_import_skips_blank_lines(survey):
    report = import_invitations(survey, (HEADER + "C-1,,,,,\n,,,,,\n\nC-2,,,,,\n").encode())
    assert (report.created, report.failed_rows) == (2, [])


def test_import_reports_rows_with_more_cells_than_the_header(survey):
    report = import_invitations(survey, b"external_id,email\nC-1,a@example.com,surplus\n")
    assert report.created == 0
    assert "3 cells" in report.failed_rows[0][1]


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"  \n", "empty"),
    ("external_id\nC-\u0142\n".encode("cp1250"), "UTF-8"),
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "not a CSV"),
    (b"name,city\nAna,Cluj\n", "external_id or email"),
    (b"external_id,email,email\nC-1,a@example.com,b@example.com\n", "twice"),
    (HEADER.encode(), "no customers"),
])
def test_import_refuses_files_that_are_not_a_csv_of_customers(survey, data, message):
    with pytest.raises(InvitationError, match=message):
        import_invitations(survey, data)
    assert count(survey) == 0


def test_import_refuses_more_rows_than_the_cap_and_stores_nothing(survey):
    data = "external_id\n" + "".join(f"C-{n}\n" for n in range(MAX_IMPORT_ROWS + 1))
    with pytest.raises(InvitationError, match="at most 20000"):
        import_invitations(survey, data.encode())
    assert count(survey) == 0


def test_status_filter_and_counts(survey):
    build_invitation(survey)
    opened = build_invitation(survey)
    opened.opened_at = utcnow()
    answered = build_invitation(survey)
    answered.opened_at = answered.answered_at = utcnow()
    db.session.flush()
    listed = {status: [i.id for i in db.session.scalars(invitations_query(survey, status))]
              for status in InvitationStatus.ALL}
    assert listed[InvitationStatus.OPENED] == [opened.id]
    assert listed[InvitationStatus.ANSWERED] == [answered.id]
    assert len(listed[InvitationStatus.NOT_OPENED]) == 1
    assert status_counts(survey) == {"all": 3, "not_opened": 1, "opened": 1, "answered": 1}


def test_export_rows_carry_the_personal_link_and_persona(survey):
    invitation = build_invitation(survey, external_id="C-1", persona=survey.journey_map.personas[0], order_id="O-1")
    [row] = list(export_rows(survey))
    assert row[:6] == ("C-1", "C-1@example.com", "Customer", "pl", "O-1", "First-time buyer")
    assert row[6] == f"http://localhost/r/{invitation.token}"
    assert row[7] == "not_opened"


def test_export_reads_in_batches_and_misses_no_row(survey, monkeypatch):
    monkeypatch.setattr(services, "EXPORT_BATCH_SIZE", 2)
    survey_id = survey.id
    for number in range(5):
        build_invitation(survey, external_id=f"C-{number}")
    db.session.commit()
    assert [row[0] for row in export_rows(db.session.get(type(survey), survey_id))] == [f"C-{n}" for n in range(5)]
