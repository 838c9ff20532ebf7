"""The invitation pages, driven as a marketer would: forms, uploads, list, filter and export."""
import csv
import io
import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.builders import build_invitation, build_survey
from tests.conftest import TEST_PASSWORD
from webapp import create_app
from webapp.auth.models import Role
from webapp.database import utcnow
from webapp.extensions import db
from webapp.invitations.models import Invitation
from webapp.surveys.models import Survey

HEADER = "external_id,email,name,language,order_id,persona\n"


@pytest.fixture
def marketer(sign_in):
    return sign_in(Role.MARKETER)


def page(response) -> str:
    return response.get_data(as_text=True)


def stored(app, survey_id) -> list[Invitation]:
    with app.app_context():
        return db.session.scalars(
            select(Invitation).where(Invitation.survey_id == survey_id).order_by(Invitation.id)
        ).all()


def upload(client, survey_id, data: bytes, filename="customers.csv"):
    return client.post(f"/surveys/{survey_id}/invitations/import",
                       data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


@pytest.mark.parametrize("path", ["", "/new", "/import"])
def test_support_staff_cannot_open_invitation_pages(client, sign_in, survey_id, path):
    sign_in(Role.SUPPORT)
    assert client.get(f"/surveys/{survey_id}/invitations{path}").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, survey_id):
    response = client.get(f"/surveys/{survey_id}/invitations.csv")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_admin_may_invite(client, sign_in, survey_id):
    sign_in(Role.ADMIN)
    assert client.get(f"/surveys/{survey_id}/invitations/new").status_code == 200


def test_unknown_survey_is_not_found(client, marketer):
    assert client.get("/surveys/999999/invitations").status_code == 404


def test_marketer_invites_one_customer_and_sees_the_link(app, client, marketer, survey_id):
    with app.app_context():
        persona_id = db.session.get(Survey, survey_id).journey_map.personas[0].id
    response = client.post(f"/surveys/{survey_id}/invitations/new", data={
        "external_id": "C-1", "email": "ana@example.com", "name": "Ana Pop", "language": "pl",
        "order_id": "O-7", "persona": str(persona_id)})
    assert response.status_code == 302
    [invitation] = stored(app, survey_id)
    assert (invitation.name, invitation.language, invitation.order_id, invitation.persona_id) == (
        "Ana Pop", "pl", "O-7", persona_id)
    listing = page(client.get(f"/surveys/{survey_id}/invitations"))
    assert "Ana Pop" in listing
    assert f"http://localhost/r/{invitation.token}" in listing
    assert "First-time buyer" in listing


def test_browsers_choice_stores_no_language(app, client, marketer, survey_id):
    client.post(f"/surveys/{survey_id}/invitations/new", data={"email": "ana@example.com", "language": ""})
    [invitation] = stored(app, survey_id)
    assert invitation.language is None


def test_form_needs_external_id_or_email(app, client, marketer, survey_id):
    response = client.post(f"/surveys/{survey_id}/invitations/new", data={"name": "Nobody"})
    assert response.status_code == 422
    assert "external id or e-mail address" in page(response)
    assert 'aria-invalid="true"' in page(response)
    assert stored(app, survey_id) == []


def test_form_offers_only_the_survey_languages(app, client, marketer):
    with app.app_context():
        survey = build_survey(languages=("en", "pl"))
        db.session.commit()
        survey_id = survey.id
    response = client.post(f"/surveys/{survey_id}/invitations/new", data={"external_id": "C-1", "language": "ro"})
    assert response.status_code == 422
    assert 'value="ro"' not in page(response)


def test_inviting_the_same_customer_twice_is_a_form_error(app, client, marketer, survey_id):
    data = {"external_id": "C-1", "order_id": "O-1"}
    client.post(f"/surveys/{survey_id}/invitations/new", data=data)
    response = client.post(f"/surveys/{survey_id}/invitations/new", data=data)
    assert response.status_code == 422
    assert "already invited for this order" in page(response)
    assert len(stored(app, survey_id)) == 1


def test_closed_survey_gets_no_invitation(app, client, marketer, survey_id):
    with app.app_context():
        db.session.get(Survey, survey_id).closed_at = utcnow()
        db.session.commit()
    response = client.post(f"/surveys/{survey_id}/invitations/new", data={"external_id": "C-1"})
    assert response.status_code == 422
    assert "This survey is closed" in page(response)
    assert stored(app, survey_id) == []


def test_upload_imports_good_rows_and_lists_bad_ones(app, client, marketer, survey_id):
    data = (HEADER + "C-1,ana@example.com,Ana,pl,O-1,regular\n" + "C-2,nope,Bob,,,\n" + "C-3,,Cid,xx,,\n").encode()
    response = upload(client, survey_id, data)
    assert response.status_code == 200
    text = page(response)
    assert "Import finished" in text
    assert "<strong>1</strong> invited" in text
    assert '<td class="numeric">3</td><td>“nope” is not a valid e-mail address.</td>' in text
    assert '<td class="numeric">4</td>' in text
    assert [i.external_id for i in stored(app, survey_id)] == ["C-1"]


def test_uploading_the_same_file_again_reports_already_invited(app, client, marketer, survey_id):
    data = (HEADER + "C-1,,,,,\nC-2,,,,,\n").encode()
    upload(client, survey_id, data)
    text = page(upload(client, survey_id, data))
    assert "<strong>0</strong> invited" in text
    assert "<strong>2</strong> already invited" in text
    assert len(stored(app, survey_id)) == 2


def test_upload_with_semicolons_bom_and_persona_names(app, client, marketer, survey_id):
    upload(client, survey_id, "\ufeffexternal_id;name;persona\nC-1;Łucja;FIRST-TIME BUYER\n".encode())
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.survey_id == survey_id))
        assert (invitation.name, invitation.persona.name) == ("Łucja", "First-time buyer")


def test_upload_that_is_not_utf8_is_a_form_error(app, client, marketer, survey_id):
    response = upload(client, survey_id, "external_id,name\nC-1,Łucja\n".encode("cp1250"))
    assert response.status_code == 422
    assert "CSV UTF-8" in page(response)
    assert stored(app, survey_id) == []


def test_upload_of_another_kind_of_file_is_a_form_error(client, marketer, survey_id):
    response = upload(client, survey_id, b"%PDF-1.7", filename="customers.pdf")
    assert response.status_code == 422
    assert "Upload a .csv file." in page(response)


def test_upload_without_a_file_is_a_form_error(client, marketer, survey_id):
    response = client.post(f"/surveys/{survey_id}/invitations/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose a CSV file to upload." in page(response)


def test_oversized_upload_gets_a_clear_page(app, client, marketer, survey_id):
    data = (HEADER + "C-1,,,,,\n").encode() + b"x" * (2 * 1024 * 1024)
    # Encoded by hand: the test client spools large bodies to a temporary file it never closes.
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), "customers.csv")})
    response = client.post(f"/surveys/{survey_id}/invitations/import", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert "larger than 2 MB" in page(response)
    assert "Import customers" in page(response)
    assert stored(app, survey_id) == []


def test_list_is_paged_by_50(app, client, marketer, survey_id):
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        for number in range(51):
            build_invitation(survey, external_id=f"C-{number:03d}")
        db.session.commit()
    first = page(client.get(f"/surveys/{survey_id}/invitations"))
    second = page(client.get(f"/surveys/{survey_id}/invitations?page=2"))
    assert first.count("<tr>") - 1 == 50
    assert "Page 1 of 2" in first
    assert second.count("<tr>") - 1 == 1


def test_list_filters_by_status_and_keeps_the_filter_in_pager_links(app, client, marketer, survey_id):
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        build_invitation(survey, external_id="never-opened")
        for number in range(51):
            build_invitation(survey, external_id=f"opened-{number}").opened_at = utcnow()
        db.session.commit()
    text = page(client.get(f"/surveys/{survey_id}/invitations?status=opened"))
    assert "opened-1" in text
    assert "never-opened" not in text
    assert "status=opened" in text.split('rel="next"')[0].rsplit("href=", 1)[1]


def test_unknown_status_filter_is_a_clear_message(client, marketer, survey_id):
    response = client.get(f"/surveys/{survey_id}/invitations?status=bogus")
    assert response.status_code == 400
    assert "There is no invitation status “bogus”" in page(response)


def test_export_lists_every_invitation_with_its_link(app, client, marketer, survey_id):
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        tokens = [build_invitation(survey, external_id=f"C-{n}").token for n in range(3)]
        build_invitation(survey, external_id="=HYPERLINK(\"http://evil\")")
        db.session.commit()
    response = client.get(f"/surveys/{survey_id}/invitations.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(page(response))))
    assert [row["link"] for row in rows[:3]] == [f"http://localhost/r/{token}" for token in tokens]
    assert rows[3]["external_id"].startswith("'=")


@pytest.fixture
def csrf_client(app, database_url):
    """A client of the app as deployed, with CSRF protection on: the body is read before any view runs."""
    protected = create_app({"TESTING": True, "SECRET_KEY": "test secret key", "SQLALCHEMY_DATABASE_URI": database_url,
                            "RATELIMIT_STORAGE_URI": "memory://"})
    yield protected.test_client()
    with protected.app_context():
        db.engine.dispose()


def csrf_sign_in(client, user):
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page(client.get("/sign-in"))).group(1)
    response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def oversized_upload(client, survey_id):
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(b"x" * (2 * 1024 * 1024 + 1)), "big.csv")})
    return client.post(f"/surveys/{survey_id}/invitations/import", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def test_oversized_upload_with_csrf_on_gets_the_import_page(csrf_client, make_user, survey_id):
    csrf_sign_in(csrf_client, make_user(Role.MARKETER))
    response = oversized_upload(csrf_client, survey_id)
    assert response.status_code == 413
    assert "larger than 2 MB" in page(response)


def test_oversized_upload_from_support_staff_reveals_no_survey(csrf_client, make_user, survey_id):
    csrf_sign_in(csrf_client, make_user(Role.SUPPORT))
    response = oversized_upload(csrf_client, survey_id)
    assert response.status_code == 413
    assert "After purchase" not in page(response)
    assert "Too large" in page(response)
