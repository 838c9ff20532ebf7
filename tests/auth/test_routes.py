"""Sign-in, roles and staff account pages."""
from sqlalchemy import select

from tests.conftest import TEST_PASSWORD
from webapp.auth.models import Role, User
from webapp.extensions import db


def test_staff_pages_send_signed_out_visitors_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_sign_in_with_wrong_password_shows_form_error(client, make_user):
    user = make_user(Role.MARKETER)
    response = client.post("/sign-in", data={"email": user.email, "password": "wrong password"})
    assert response.status_code == 422
    assert "E-mail or password is not right." in response.get_data(as_text=True)


def test_sign_in_refuses_deactivated_account(app, client, make_user):
    user = make_user(Role.MARKETER)
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 422


def test_sign_in_ignores_next_pointing_at_another_host(client, make_user):
    user = make_user(Role.MARKETER)
    response = client.post(
        "/sign-in?next=https://evil.example/", data={"email": user.email, "password": TEST_PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_marketer_cannot_open_staff_accounts(client, sign_in):
    sign_in(Role.MARKETER)
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)


def test_admin_creates_support_account_through_the_ui(app, client, sign_in):
    sign_in(Role.ADMIN)
    response = client.post(
        "/admin/users/new",
        data={"name": "Ana Pop", "email": "Ana@Example.com", "role": "support", "password": "a long password"},
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ana@example.com"))
        assert user.role == Role.SUPPORT
        assert user.check_password("a long password")


def test_admin_cannot_create_duplicate_account(client, sign_in, make_user):
    existing = make_user(Role.SUPPORT)
    sign_in(Role.ADMIN)
    response = client.post(
        "/admin/users/new",
        data={"name": "Twin", "email": existing.email.upper(), "role": "support", "password": "a long password"},
    )
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_users_create_command(app, runner):
    result = runner.invoke(
        args=["users", "create", "--email", "boss@example.com", "--role", "admin", "--password", "a long password"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "boss@example.com")).role == Role.ADMIN


def test_users_create_command_rejects_short_password_with_exit_code_2(runner):
    result = runner.invoke(args=["users", "create", "--email", "x@example.com", "--role", "admin", "--password", "short"])
    assert result.exit_code == 2
    assert "at least" in result.output


def test_unknown_page_gives_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)


def test_unknown_page_gives_json_404_to_api_clients(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


def test_admin_deactivates_account_and_it_can_no_longer_sign_in(app, client, sign_in, make_user):
    other = make_user(Role.SUPPORT)
    sign_in(Role.ADMIN)
    response = client.post(f"/admin/users/{other.id}", data={"name": "Renamed", "role": "support", "password": ""})
    assert response.status_code == 302
    client.post("/sign-out")
    response = client.post("/sign-in", data={"email": other.email, "password": TEST_PASSWORD})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(User, other.id).name == "Renamed"


def test_admin_cannot_remove_own_admin_role(app, client, sign_in):
    admin = sign_in(Role.ADMIN)
    response = client.post(f"/admin/users/{admin.id}", data={"name": "Me", "role": "marketer", "active": "y"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(User, admin.id).role == Role.ADMIN


def test_sign_out_requires_post(client, sign_in):
    sign_in(Role.MARKETER)
    assert client.get("/sign-out").status_code == 405
