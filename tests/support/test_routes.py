"""The support pages: the queue (urgent first, filtered in the URL), and an item staff confirm, correct,
assign, tag and resolve, with its audit trail and the conflict shown when someone changed it meanwhile."""
from datetime import timedelta

from sqlalchemy import select

from tests.maps.test_aggregates import ScriptedClassifier
from webapp.auth.models import Role
from webapp.database import utcnow
from webapp.extensions import db
from webapp.support.models import HumanLabel, ItemOrigin, ItemStatus, SupportItem
from webapp.support.services import Actor, create_complaints, update_item


def add_items(app, *texts) -> list[int]:
    """Outside complaints, received a minute apart in the order given (the first is the oldest)."""
    with app.app_context():
        items = create_complaints([{"text": text} for text in texts], ItemOrigin.MANUAL, Actor("Test"),
                                  classifier=ScriptedClassifier())
        ids = [item.id for item in items]
        table = SupportItem.__table__  # not through the ORM, which would count a new version of each item
        for age, item_id in enumerate(reversed(ids)):
            db.session.execute(table.update().where(table.c.id == item_id)
                               .values(received_at=utcnow() - timedelta(minutes=age)))
        db.session.commit()
        return ids


def queue_order(html: str, ids) -> list[int]:
    return sorted(ids, key=lambda item_id: html.index(f'data-item-id="{item_id}"'))


def test_the_queue_puts_complaints_then_strong_negatives_then_the_oldest_first(app, client, sign_in):
    sign_in(Role.SUPPORT)
    mild, old_negative, complaint, strong = add_items(app, "v=-0.35 e=uncertainty", "v=-0.6 e=anger",
                                                      "v=-0.1 b=pricing_unclear c=1", "v=-0.9 e=fear")
    response = client.get("/support")
    assert response.status_code == 200
    assert queue_order(response.get_data(as_text=True), [mild, old_negative, complaint, strong]) == [
        complaint, old_negative, strong, mild]


def test_the_queue_filters_by_label_and_status_in_the_url(app, client, sign_in):
    sign_in(Role.SUPPORT)
    anger, fear = add_items(app, "v=-0.6 e=anger", "v=-0.9 e=fear b=delivery_problem")
    html = client.get("/support?emotion=anger").get_data(as_text=True)
    assert f'data-item-id="{anger}"' in html and f'data-item-id="{fear}"' not in html
    html = client.get("/support?blocker=delivery_problem&status=new").get_data(as_text=True)
    assert f'data-item-id="{fear}"' in html and f'data-item-id="{anger}"' not in html
    assert 'data-item-id' not in client.get("/support?status=resolved").get_data(as_text=True)


def test_an_unknown_filter_value_is_a_form_error(app, client, sign_in):
    sign_in(Role.SUPPORT)
    response = client.get("/support?emotion=grumpy")
    assert response.status_code == 400 and "There is no such emotion." in response.get_data(as_text=True)


def test_the_item_page_shows_evidence_labels_and_the_audit_trail(app, client, sign_in):
    sign_in(Role.SUPPORT)
    [item_id] = add_items(app, "v=-0.6 e=anger c=1")
    html = client.get(f"/support/items/{item_id}").get_data(as_text=True)
    assert "<mark" in html and "chip-complaint" in html
    assert "Audit trail" in html and "created" in html


def test_staff_assign_tag_and_resolve_an_item(app, client, sign_in):
    user = sign_in(Role.SUPPORT)
    [item_id] = add_items(app, "v=-0.6 e=anger c=1")
    response = client.post(f"/support/items/{item_id}", data={
        "version": 1, "status": "resolved", "assignee_id": str(user.id), "tags": "refund, VIP", "note": "Refunded"})
    assert response.status_code == 303
    with app.app_context():
        item = db.session.get(SupportItem, item_id)
        assert (item.status, item.assignee_id, item.tags, item.note, item.version) == (
            ItemStatus.RESOLVED, user.id, ["refund", "vip"], "Refunded", 2)
    html = client.get(f"/support/items/{item_id}").get_data(as_text=True)
    assert "resolved" in html and user.name in html


def test_a_stale_save_shows_what_changed_and_saves_nothing(app, client, sign_in):
    sign_in(Role.SUPPORT)
    [item_id] = add_items(app, "v=-0.6 e=anger c=1")
    with app.app_context():
        update_item(db.session.get(SupportItem, item_id), 1, Actor("Ann"), note="Called the courier")
        db.session.commit()
    response = client.post(f"/support/items/{item_id}", data={
        "version": 1, "status": "resolved", "assignee_id": "", "tags": "", "note": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone changed this item" in html and "Called the courier" in html and "Ann" in html
    assert 'id="version" name="version" type="hidden" value="2"' in html  # saving again applies over Ann's change
    with app.app_context():
        item = db.session.get(SupportItem, item_id)
        assert (item.status, item.note) == (ItemStatus.NEW, "Called the courier")


def test_staff_confirm_and_correct_labels(app, client, sign_in):
    sign_in(Role.SUPPORT)
    confirmed, corrected = add_items(app, "v=-0.6 e=anger c=1", "v=-0.5 e=fear")
    assert client.post(f"/support/items/{confirmed}/label", data={"version": 1, "action": "confirm"}).status_code == 303
    response = client.post(f"/support/items/{corrected}/label", data={
        "version": 1, "action": "correct", "emotions": ["disappointment"], "blockers": ["delivery_problem"],
        "complaint": "y"})
    assert response.status_code == 303
    with app.app_context():
        labels = {label.item_id: label for label in db.session.scalars(select(HumanLabel))}
        assert labels[confirmed].confirmed and labels[confirmed].emotions == ["anger"]
        assert not labels[corrected].confirmed
        assert (labels[corrected].emotions, labels[corrected].blockers, labels[corrected].complaint) == (
            ["disappointment"], ["delivery_problem"], True)
    html = client.get(f"/support/items/{corrected}").get_data(as_text=True)
    assert "label corrected" in html and "Labelled by staff" not in html  # the page says it in words below
    assert "The machine said" in html


def test_an_unknown_label_is_refused(app, client, sign_in):
    sign_in(Role.SUPPORT)
    [item_id] = add_items(app, "v=-0.6 e=anger")
    response = client.post(f"/support/items/{item_id}/label", data={
        "version": 1, "action": "correct", "emotions": ["grumpy"]})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(HumanLabel)) is None


def test_a_bulk_action_changes_the_selected_items_and_skips_ones_changed_meanwhile(app, client, sign_in):
    user = sign_in(Role.SUPPORT)
    first, second, untouched = add_items(app, "v=-0.6 e=anger", "v=-0.5 e=fear", "v=-0.7 e=anger")
    with app.app_context():
        update_item(db.session.get(SupportItem, second), 1, Actor("Ann"), note="Mine")
        db.session.commit()
    response = client.post("/support/bulk?status=new", data={
        "selected": [f"{first}:1", f"{second}:1"], "status": "in_progress", "assign_to_me": "y",
        "add_tag": "Courier"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/support?status=new")
    with app.app_context():
        items = {item.id: item for item in db.session.scalars(select(SupportItem))}
        assert (items[first].status, items[first].assignee_id, items[first].tags) == (
            ItemStatus.IN_PROGRESS, user.id, ["courier"])
        assert (items[second].status, items[second].assignee_id) == (ItemStatus.NEW, None)
        assert items[untouched].status == ItemStatus.NEW
    html = client.get("/support").get_data(as_text=True)
    assert "1 items changed." in html and f"Item #{second} was left as it is: Ann changed it meanwhile (note)" in html


def test_a_malformed_bulk_selection_is_refused(app, client, sign_in):
    sign_in(Role.SUPPORT)
    assert client.post("/support/bulk", data={"selected": ["1;drop"], "status": "resolved"}).status_code == 400


def test_the_agreement_page_counts_per_label_and_month(app, client, sign_in, make_user):
    confirmed, corrected = add_items(app, "v=-0.6 e=anger c=1", "v=-0.5 e=fear,anger")
    with app.app_context():
        from webapp.support.services import label_item

        label_item(db.session.get(SupportItem, confirmed), 1, Actor("Ann"))
        label_item(db.session.get(SupportItem, corrected), 1, Actor("Ann"), emotions=["anger", "shame"])
        db.session.commit()
        from webapp.support.services import agreement_report

        labels, months = agreement_report()
    counts = {label.label: (label.both, label.machine_only, label.staff_only) for label in labels}
    assert counts == {"anger": (2, 0, 0), "fear": (0, 1, 0), "shame": (0, 0, 1)}
    assert [(month.labelled, month.confirmed, month.labels_agreed, month.labels_judged) for month in months] == [
        (2, 1, 2, 4)]
    this_month = months[0].month
    assert {label.label: label.agreement_in(this_month) for label in labels} == {"anger": 1.0, "fear": 0.0,
                                                                                "shame": 0.0}
    sign_in(Role.MARKETER)  # everyone may see whether the classifier gets better
    html = client.get("/support/agreement").get_data(as_text=True)
    assert 'data-label="anger"' in html and "100%" in html and "50%" in html
    assert f'<td class="numeric" data-month="{this_month}">100% <span class="muted small">(2)</span>' in html
    assert 'id="agreement-chart"' in html  # the chart, inline
    assert "Retrain now" not in html  # releases are an admin's to make


def test_an_admin_retrains_and_rolls_back_from_the_agreement_page(app, client, sign_in):
    from tests.support.test_learning import teach_flexirata

    with app.app_context():
        teach_flexirata()
    sign_in(Role.ADMIN)
    response = client.post("/support/releases/retrain", follow_redirects=True)
    html = response.get_data(as_text=True)
    with app.app_context():
        from webapp.analysis.releases import release_in_use

        first = release_in_use().id  # ids are the database's: PostgreSQL's sequences do not restart per test
    assert f"Release {first} is published" in html and f'data-release="{first}"' in html and "in use" in html
    assert client.post("/support/releases/rollback", data={"release": "x;1"}).status_code == 400
    html = client.post("/support/releases/rollback", data={"release": "7"}, follow_redirects=True).get_data(
        as_text=True)
    assert "there is no release 7" in html
    html = client.post("/support/releases/rollback", data={"release": "shipped"}, follow_redirects=True).get_data(
        as_text=True)
    with app.app_context():
        second = release_in_use().id
    assert second > first and f"Release {second} published: rollback to the shipped model" in html


def test_support_staff_see_releases_but_cannot_retrain_or_roll_back(client, sign_in):
    sign_in(Role.SUPPORT)
    assert client.post("/support/releases/retrain").status_code == 403
    assert client.post("/support/releases/rollback", data={"release": "shipped"}).status_code == 403
    assert "No model has been retrained yet" in client.get("/support/agreement").get_data(as_text=True)


def test_an_item_in_a_language_the_machine_does_not_read_can_be_labelled_by_staff(app, client, sign_in):
    sign_in(Role.SUPPORT)
    [item_id] = add_items(app, "v=0 c=1 lang=de")
    html = client.get(f"/support/items/{item_id}").get_data(as_text=True)
    assert "Language not supported: de" in html
    response = client.post(f"/support/items/{item_id}/label", data={
        "version": 1, "action": "correct", "emotions": ["anger"], "complaint": "y"})
    assert response.status_code == 303
    with app.app_context():
        human = db.session.scalar(select(HumanLabel))
        assert (human.emotions, human.valence) == (["anger"], None)  # no valence guessed for the curve
    assert client.get(f"/support/items/{item_id}").status_code == 200


def test_support_staff_find_the_queue_in_the_navigation_and_marketers_do_not(app, client, sign_in):
    sign_in(Role.SUPPORT)
    assert 'href="/support"' in client.get("/").get_data(as_text=True)
    client.post("/sign-out")
    sign_in(Role.MARKETER)
    assert 'href="/support"' not in client.get("/").get_data(as_text=True)
