"""Sign-in, sign-out and the admin's staff account pages."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from webapp.auth.access import role_required
from webapp.auth.forms import EditUserForm, NewUserForm, SignInForm
from webapp.auth.models import Role, User
from webapp.auth.services import AccountError, authenticate, create_user
from webapp.extensions import db

bp = Blueprint("auth", __name__, template_folder="templates")


def _safe_next(target: str | None) -> str:
    """Follow ?next= only within this site, never to another host."""
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("maps.index")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Show the sign-in form and sign staff in."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("E-mail or password is not right."))
    return render_template("auth/sign_in.html", form=form), 200 if request.method == "GET" else 422


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    """Sign out and go back to the sign-in page."""
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/admin/users")
@role_required(Role.ADMIN)
def users():
    """List staff accounts."""
    accounts = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template("auth/users.html", users=accounts, form=NewUserForm())


@bp.route("/admin/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_user():
    """Create a staff account with a role."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.name.data, form.password.data, form.role.data)
        except AccountError as error:
            form.email.errors.append(str(error))
        else:
            flash(_("Account created for %(email)s.", email=user.email), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=None), 200 if request.method == "GET" else 422


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_user(user_id: int):
    """Change a staff account's name, role, password or whether it may sign in."""
    user = db.get_or_404(User, user_id)
    form = EditUserForm(obj=user)
    if form.validate_on_submit():
        if user.id == current_user.id and (form.role.data != Role.ADMIN or not form.active.data):
            form.role.errors.append(_("You cannot remove your own admin rights."))
        else:
            user.name = form.name.data
            user.role = Role(form.role.data)
            user.active = form.active.data
            if form.password.data:
                user.set_password(form.password.data)
            flash(_("Account %(email)s saved.", email=user.email), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=user), 200 if request.method == "GET" else 422
