"""Staff pages of the support workspace: the queue, and an item with its labels, changes and audit trail."""
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from webapp.analysis import releases
from webapp.analysis.engine import load_classifier
from webapp.analysis.evidence import label_name
from webapp.analysis.models import ReleaseStatus
from webapp.auth.access import role_required
from webapp.auth.models import Role
from webapp.extensions import db
from webapp.maps.models import Stage
from webapp.support import services
from webapp.support.charts import agreement_chart_svg
from webapp.support.forms import (
    STATUS_NAMES,
    BulkForm,
    ComplaintForm,
    ImportForm,
    ItemForm,
    LabelForm,
    QueueFilterForm,
    ReleaseForm,
)
from webapp.support.learning import retrain_from_staff_labels
from webapp.support.models import ItemOrigin, SupportItem
from webapp.support.services import (
    Actor,
    ComplaintInvalid,
    FilterInvalid,
    LabelInvalid,
    StaleItem,
)

bp = Blueprint("support", __name__, template_folder="templates")


def _actor() -> Actor:
    return Actor(name=current_user.name, user_id=current_user.id)


def _at_current_version(form, conflict: StaleItem, message: str):
    """The form as sent, now naming the item's current version: saving it again applies it over the changes."""
    form.version.data = conflict.item.version
    form.version.raw_data = [str(conflict.item.version)]
    form.form_errors.append(message)
    return form


def _stages() -> list[Stage]:
    return list(db.session.scalars(db.select(Stage).order_by(Stage.map_id, Stage.position)))


def _render_new(form: ComplaintForm, import_form: ImportForm, status: int = 200):
    return render_template("support/new.html", form=form, import_form=import_form,
                           columns=services.COMPLAINT_FIELDS), status


@bp.route("/support/complaints/new", methods=["GET", "POST"])
@role_required(Role.SUPPORT)
def new_complaint():
    """Type in a complaint that did not come from a survey; it is labelled and queued at once."""
    form, import_form = ComplaintForm(_stages()), ImportForm(formdata=None)
    if not form.validate_on_submit():
        return _render_new(form, import_form, 422 if form.is_submitted() else 200)
    record = {name: form[name].data for name in services.COMPLAINT_FIELDS if name in form and form[name].data}
    try:
        [item] = services.create_complaints([record], ItemOrigin.MANUAL, _actor())
    except ComplaintInvalid as error:
        for name, message in error.errors.items():
            if name in form:
                form[name].errors = [message]
            else:
                form.form_errors.append(f"{name}: {message}")
        return _render_new(form, import_form, 422)
    flash(_("Complaint added to the queue."), "success")
    return redirect(url_for("support.show_item", item_id=item.id), 303)


@bp.route("/support/complaints/import", methods=["POST"])
@role_required(Role.SUPPORT)
def import_complaints():
    """Add the complaints of a CSV file, all or none."""
    form, import_form = ComplaintForm(_stages(), formdata=None), ImportForm()
    if not import_form.validate_on_submit():
        return _render_new(form, import_form, 422)
    try:
        items = services.import_complaints(import_form.file.data.read(), _actor())
    except ComplaintInvalid as error:
        import_form.file.errors = [f"{name}: {message}" for name, message in error.errors.items()]
        return _render_new(form, import_form, 422)
    flash(_("%(count)d complaints added to the queue.", count=len(items)), "success")
    return redirect(url_for("support.queue"), 303)


@bp.route("/support")
@role_required(Role.SUPPORT)
def queue():
    """The queue, most urgent first, filtered by the query string and paged."""
    staff = services.support_staff()
    form = QueueFilterForm(_stages(), staff, services.queue_languages(), label_name, formdata=request.args)
    try:
        filters = services.queue_filters(request.args)
    except FilterInvalid as error:
        form[error.field].errors = [str(error)]
        return render_template("support/queue.html", form=form, page=None, labels={}, params={},
                               staff={}, status_names=STATUS_NAMES, bulk_form=None), 400
    page = db.paginate(services.queue_query(filters), page=request.args.get("page", 1, type=int),
                       per_page=current_app.config["SUPPORT_ITEMS_PER_PAGE"], error_out=False)
    return render_template("support/queue.html", form=form, page=page, labels=services.item_labels(page.items),
                           params=filters.params(), staff={user.id: user for user in staff},
                           status_names=STATUS_NAMES, bulk_form=BulkForm())


@bp.route("/support/bulk", methods=["POST"])
@role_required(Role.SUPPORT)
def bulk_action():
    """One change (status, assign to me, a tag) to the items selected on the queue page."""
    form = BulkForm()
    back = url_for("support.queue", **{name: value for name, value in request.args.items()})
    try:
        selection = services.parse_selection(request.form.getlist("selected"))
    except ValueError:
        abort(400)
    if not form.validate_on_submit() or not selection:
        flash(_("Select items and an action first."), "error")
        return redirect(back, 303)
    outcome = services.bulk_update(
        selection, _actor(), status=form.status.data or None,
        assignee_id=current_user.id if form.assign_to_me.data else None, add_tag=form.add_tag.data or None)
    flash(_("%(count)d items changed.", count=len(outcome.changed)), "success")
    for conflict in outcome.conflicts:
        flash(_("Item #%(id)d was left as it is: %(who)s changed it meanwhile (%(fields)s).", id=conflict.item.id,
                who=", ".join(sorted({change.actor for change in conflict.changes})),
                fields=", ".join(dict.fromkeys(change.field for change in conflict.changes))), "error")
    return redirect(back, 303)


# Months of per-label agreement shown side by side (the newest ones).
AGREEMENT_MONTHS = 6


@bp.route("/support/agreement")
@role_required(Role.SUPPORT, Role.MARKETER)
def agreement():
    """How often staff agree with the machine, per label and per month, and the models their labels trained:
    is the classifier getting better?"""
    labels, months = services.agreement_report()
    published = [r for r in releases.releases() if r.status == ReleaseStatus.PUBLISHED]
    chart = agreement_chart_svg(months, [(r.created_at, f"r{r.id}") for r in reversed(published)]) if months else None
    return render_template("support/agreement.html", labels=labels, months=months,
                           recent_months=[m.month for m in months[-AGREEMENT_MONTHS:]], chart=chart,
                           releases=releases.releases(), in_use=releases.release_in_use(),
                           shipped_version=load_classifier().version, form=ReleaseForm(),
                           can_manage=current_user.has_role(Role.ADMIN))


@bp.route("/support/releases/retrain", methods=["POST"])
@role_required(Role.ADMIN)
def retrain():
    """Retrain the classifier from staff labels now, rather than at the job's next run."""
    if not ReleaseForm().validate_on_submit():
        abort(400)
    outcome = retrain_from_staff_labels(actor=current_user.name, force=True)
    if outcome is None:
        flash(_("Too few staff labels to learn from: at least %(count)d are needed.",
                count=current_app.config["SUPPORT_RETRAIN_MIN_LABELS"]), "error")
    elif outcome.release is None:
        flash(_("Another retraining finished at the same moment; its release is listed below."), "error")
    elif outcome.published:
        flash(_("Release %(id)d is published: it did at least as well on the check set.", id=outcome.release.id),
              "success")
    else:
        flash(_("Release %(id)d was rejected: it did worse on the check set than the model in use.",
                id=outcome.release.id), "error")
    return redirect(url_for("support.agreement", _anchor="releases"), 303)


@bp.route("/support/releases/rollback", methods=["POST"])
@role_required(Role.ADMIN)
def roll_back():
    """Put back an earlier release, or the shipped model ("shipped")."""
    form = ReleaseForm()
    target = request.form.get("release", "")
    if not form.validate_on_submit() or not (target == "shipped" or target.isdigit()):
        abort(400)
    try:
        made = releases.rollback(None if target == "shipped" else int(target), actor=current_user.name)
    except releases.ReleaseError as error:
        flash(str(error), "error")
    else:
        flash(_("Release %(id)d published: %(note)s. Answers are being re-labelled with it.",
                id=made.id, note=made.note), "success")
    return redirect(url_for("support.agreement", _anchor="releases"), 303)


def _render_item(item: SupportItem, item_form: ItemForm | None = None, label_form: LabelForm | None = None,
                 conflict: StaleItem | None = None, status: int = 200):
    staff = services.support_staff()
    label = services.item_label(item)
    if item_form is None:
        item_form = ItemForm(staff, data={"version": item.version, "status": item.status.value,
                                          "assignee_id": item.assignee_id, "tags": ", ".join(item.tags),
                                          "note": item.note})
    if label_form is None:
        label_form = LabelForm(label_name, data={"version": item.version, "emotions": list(label.emotions),
                                                 "blockers": list(label.blockers), "complaint": label.complaint})
    return render_template("support/item.html", item=item, label=label, machine=services.machine_label(item),
                           item_form=item_form, label_form=label_form, conflict=conflict,
                           status_names=STATUS_NAMES, stage=db.session.get(Stage, item.stage_id)
                           if item.stage_id else None), status


@bp.route("/support/items/<int:item_id>")
@role_required(Role.SUPPORT)
def show_item(item_id: int):
    """One item: its text with evidence, labels, the forms to work it, and its audit trail."""
    return _render_item(db.get_or_404(SupportItem, item_id))[0]


@bp.route("/support/items/<int:item_id>", methods=["POST"])
@role_required(Role.SUPPORT)
def update_item(item_id: int):
    """Change status, assignee, tags and note; a change made meanwhile by someone else is shown, not lost."""
    item = db.get_or_404(SupportItem, item_id)
    form = ItemForm(services.support_staff())
    if not form.validate_on_submit():
        return _render_item(item, item_form=form, status=422)
    tags = [tag for tag in (form.tags.data or "").split(",")]
    try:
        changed = services.update_item(item, form.version.data, _actor(), status=form.status.data,
                                       assignee_id=form.assignee_id.data, tags=tags, note=form.note.data or "")
    except StaleItem as conflict:
        form = _at_current_version(form, conflict, _("Someone changed this item while you had it open. Check "
                                                     "what changed below, then save again to apply your changes."))
        return _render_item(conflict.item, item_form=form, conflict=conflict, status=409)
    flash(_("Saved.") if changed else _("Nothing to save: no field changed."), "success")
    return redirect(url_for("support.show_item", item_id=item.id), 303)


@bp.route("/support/items/<int:item_id>/label", methods=["POST"])
@role_required(Role.SUPPORT)
def label_item(item_id: int):
    """Confirm the machine's labels, or store the corrected ones; either wins over the machine from now on."""
    item = db.get_or_404(SupportItem, item_id)
    form = LabelForm(label_name)
    if not form.validate_on_submit():
        return _render_item(item, label_form=form, status=422)
    confirm = request.form.get("action") == "confirm"
    try:
        if confirm:
            services.label_item(item, form.version.data, _actor())
        else:
            services.label_item(item, form.version.data, _actor(), emotions=form.emotions.data,
                                blockers=form.blockers.data, complaint=form.complaint.data)
    except StaleItem as conflict:
        form = _at_current_version(form, conflict, _("Someone changed this item while you had it open. Check "
                                                     "what changed below, then save again to apply your labels."))
        return _render_item(conflict.item, label_form=form, conflict=conflict, status=409)
    except LabelInvalid as error:
        form.form_errors.append(str(error))
        return _render_item(item, label_form=form, status=422)
    flash(_("Labels confirmed.") if confirm else _("Labels corrected."), "success")
    return redirect(url_for("support.show_item", item_id=item.id), 303)
