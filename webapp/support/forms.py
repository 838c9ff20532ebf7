"""Forms of the support workspace: the queue's filters, an item's changes and its labels."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.labels import BLOCKERS, EMOTIONS
from webapp.support.models import CHANNEL_LENGTH, CUSTOMER_REFERENCE_LENGTH, ORDER_ID_LENGTH, TAG_LENGTH, ItemStatus

STATUS_NAMES = {ItemStatus.NEW: _l("New"), ItemStatus.IN_PROGRESS: _l("In progress"),
                ItemStatus.RESOLVED: _l("Resolved")}


class QueueFilterForm(FlaskForm):
    """Filters read from the query string; the service checks the values."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    stage = SelectField(_l("Stage"), validate_choice=False)
    blocker = SelectField(_l("Blocker"), validate_choice=False)
    emotion = SelectField(_l("Emotion"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    assignee = SelectField(_l("Assignee"), validate_choice=False)
    language = SelectField(_l("Language"), validate_choice=False)

    def __init__(self, stages, staff, languages, label_name, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage.choices = [SelectChoice("", _l("All stages"))] + [
            SelectChoice(str(stage.id), f"{stage.journey_map.name}: {stage.name}") for stage in stages]
        self.blocker.choices = [SelectChoice("", _l("All blockers"))] + [
            SelectChoice(blocker, label_name(blocker)) for blocker in BLOCKERS]
        self.emotion.choices = [SelectChoice("", _l("All emotions"))] + [
            SelectChoice(emotion, label_name(emotion)) for emotion in EMOTIONS]
        self.status.choices = [SelectChoice("", _l("Any status"))] + [
            SelectChoice(status.value, name) for status, name in STATUS_NAMES.items()]
        self.assignee.choices = [SelectChoice("", _l("Anyone")), SelectChoice("none", _l("Unassigned"))] + [
            SelectChoice(str(user.id), user.name) for user in staff]
        self.language.choices = [SelectChoice("", _l("All languages"))] + [
            SelectChoice(code, code) for code in languages]


class ItemForm(FlaskForm):
    """Status, assignee, tags and note of an item, with the version they were seen at."""

    version = IntegerField(widget=HiddenField.widget, validators=[DataRequired()])
    status = SelectField(_l("Status"), choices=[SelectChoice(status.value, name)
                                                for status, name in STATUS_NAMES.items()])
    assignee_id = SelectField(_l("Assignee"), coerce=lambda value: int(value) if value not in ("", None) else None)
    tags = StringField(_l("Tags"), validators=[Length(max=800)], description=_l("Separated by commas"))
    note = TextAreaField(_l("Internal note"), validators=[Optional(), Length(max=10_000)])

    def __init__(self, staff, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignee_id.choices = [SelectChoice("", _l("Unassigned"))] + [
            SelectChoice(user.id, user.name) for user in staff]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LabelForm(FlaskForm):
    """Confirm the machine's labels, or correct the emotions, blockers and complaint flag."""

    version = IntegerField(widget=HiddenField.widget, validators=[DataRequired()])
    emotions = MultiCheckboxField(_l("Emotions"))
    blockers = MultiCheckboxField(_l("Blockers"))
    complaint = BooleanField(_l("Complaint"))

    def __init__(self, label_name, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.emotions.choices = [SelectChoice(emotion, label_name(emotion)) for emotion in EMOTIONS]
        self.blockers.choices = [SelectChoice(blocker, label_name(blocker)) for blocker in BLOCKERS]


class ComplaintForm(FlaskForm):
    """A complaint that did not come from a survey (a call, an e-mail, a shop visit), typed in by staff."""

    text = TextAreaField(_l("Complaint"), validators=[DataRequired()])
    channel = StringField(_l("Channel"), validators=[Optional(), Length(max=CHANNEL_LENGTH)],
                          description=_l("e.g. phone, e-mail, chat, store"))
    stage_id = SelectField(_l("Stage"), validate_choice=False)
    touchpoint_id = SelectField(_l("Touchpoint"), validate_choice=False,
                                description=_l("Where it happened; its stage is filled in when left empty"))
    order_id = StringField(_l("Order id"), validators=[Optional(), Length(max=ORDER_ID_LENGTH)])
    customer_reference = StringField(_l("Customer reference"),
                                     validators=[Optional(), Length(max=CUSTOMER_REFERENCE_LENGTH)])
    language = StringField(_l("Language"), validators=[Optional(), Length(max=8)],
                           description=_l("Detected from the text when left empty"))

    def __init__(self, stages, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage_id.choices = [SelectChoice("", _l("Not known"))] + [
            SelectChoice(str(stage.id), f"{stage.journey_map.name}: {stage.name}") for stage in stages]
        self.touchpoint_id.choices = [SelectChoice("", _l("Not known"))] + [
            SelectChoice(str(touchpoint.id), touchpoint.name, optgroup=f"{stage.journey_map.name}: {stage.name}")
            for stage in stages for touchpoint in stage.touchpoints]


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file of complaints"),
        validators=[FileRequired(_l("Choose a CSV file to upload.")),
                    FileAllowed(["csv", "txt"], _l("Upload a .csv file."))],
        render_kw={"accept": ".csv,text/csv,.txt"},
    )


class BulkForm(FlaskForm):
    """One change for the items selected on the queue page (their checkboxes are outside WTForms)."""

    status = SelectField(_l("Set status"), choices=[SelectChoice("", _l("Keep"))] + [
        SelectChoice(status.value, name) for status, name in STATUS_NAMES.items()])
    assign_to_me = BooleanField(_l("Assign to me"))
    add_tag = StringField(_l("Add tag"), validators=[Optional(), Length(max=TAG_LENGTH)])


class ReleaseForm(FlaskForm):
    """Retrain now, or roll back (the release is a button's value): the form only carries the CSRF token."""
