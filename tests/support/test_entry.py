"""Complaints that did not come from a survey: typed in by staff or uploaded as CSV, labelled at once,
all or none."""
import io

from sqlalchemy import func, select

from tests.builders import build_map, stage_named
from webapp.auth.models import Role
from webapp.extensions import db
from webapp.support.models import ItemOrigin, SupportItem

TEXT = "The parcel never arrived and the courier does not answer"


def item_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(SupportItem.id)))


def upload(client, content: str | bytes):
    data = content.encode() if isinstance(content, str) else content
    return client.post("/support/complaints/import", data={"file": (io.BytesIO(data), "complaints.csv")},
                       content_type="multipart/form-data")


def test_staff_type_in_a_complaint_and_it_is_labelled(app, client, sign_in):
    sign_in(Role.SUPPORT)
    with app.app_context():
        stage_id = stage_named(build_map(), "Post-purchase service").id
        db.session.commit()
    assert client.get("/support/complaints/new").status_code == 200
    response = client.post("/support/complaints/new", data={"text": TEXT, "channel": "phone",
                                                            "stage_id": str(stage_id), "order_id": "A-9"})
    assert response.status_code == 303
    with app.app_context():
        item = db.session.scalar(select(SupportItem))
        assert (item.origin, item.channel, item.stage_id, item.order_id, item.language) == (
            ItemOrigin.MANUAL, "phone", stage_id, "A-9", "en")
        assert item.machine_model and "delivery_problem" in item.blocker_ids
        assert item.audit[0].field == "created"


def test_a_typed_in_complaint_names_its_touchpoint_and_gets_its_stage(app, client, sign_in):
    sign_in(Role.SUPPORT)
    with app.app_context():
        journey_map = build_map()
        stage = stage_named(journey_map, "Purchase")
        other_stage = stage_named(journey_map, "Awareness")
        touchpoint = stage.touchpoints[0]
        ids = (stage.id, other_stage.id, touchpoint.id, touchpoint.name)
        db.session.commit()
    stage_id, other_stage_id, touchpoint_id, touchpoint_name = ids
    page = client.get("/support/complaints/new").get_data(as_text=True)
    assert f'<option value="{touchpoint_id}">{touchpoint_name}</option>' in page
    response = client.post("/support/complaints/new", data={"text": TEXT, "touchpoint_id": str(touchpoint_id),
                                                            "stage_id": str(other_stage_id)})
    assert response.status_code == 422 and "not a touchpoint of this stage" in response.get_data(as_text=True)
    assert item_count(app) == 0
    response = client.post("/support/complaints/new", data={"text": TEXT, "touchpoint_id": str(touchpoint_id)})
    assert response.status_code == 303
    with app.app_context():
        item = db.session.scalar(select(SupportItem))
        assert (item.touchpoint_id, item.stage_id) == (touchpoint_id, stage_id)


def test_a_complaint_without_text_is_a_form_error(app, client, sign_in):
    sign_in(Role.SUPPORT)
    response = client.post("/support/complaints/new", data={"text": " ", "channel": "phone"})
    assert response.status_code == 422 and item_count(app) == 0


def test_a_csv_file_adds_every_complaint(app, client, sign_in):
    sign_in(Role.SUPPORT)
    response = upload(client, f"text;channel;order_id\n{TEXT};e-mail;A-1\nThe price changed at checkout;chat;\n")
    assert response.status_code == 303
    with app.app_context():
        items = db.session.scalars(select(SupportItem).order_by(SupportItem.id)).all()
        assert [(item.origin, item.channel, item.order_id) for item in items] == [
            (ItemOrigin.CSV, "e-mail", "A-1"), (ItemOrigin.CSV, "chat", None)]


def test_a_csv_file_with_one_bad_row_adds_nothing_and_names_the_line(app, client, sign_in):
    sign_in(Role.SUPPORT)
    response = upload(client, f"text,stage_id\n{TEXT},\n,\nAnother one,999999\n")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "4.stage_id: no such stage" in html
    assert item_count(app) == 0


def test_a_csv_file_without_a_text_column_or_in_another_encoding_is_refused(app, client, sign_in):
    sign_in(Role.SUPPORT)
    assert "with text among them" in upload(client, "comment,channel\nbad,phone\n").get_data(as_text=True)
    assert "not UTF-8" in upload(client, "text\nzażółć\n".encode("utf-16")).get_data(as_text=True)
    assert item_count(app) == 0
