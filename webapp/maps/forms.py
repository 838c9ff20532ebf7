"""Forms for journey maps, their stages, touchpoints and personas."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList, FloatField, Form, FormField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from webapp.labels import EMOTIONS

from webapp.maps.models import JourneyMap, MapKind
from webapp.maps.services import (
    CHANNELS,
    DESCRIPTION_LENGTH,
    DOWN,
    MAP_NAME_LENGTH,
    PERSONA_DESCRIPTION_LENGTH,
    PERSONA_NAME_LENGTH,
    STAGE_NAME_LENGTH,
    TOUCHPOINT_NAME_LENGTH,
    UP,
)

MAX_NEW_PERSONAS = 10


def strip(value):
    return value.strip() if isinstance(value, str) else value


def improves_on_choices(as_is_maps: list[JourneyMap]) -> list[SelectChoice]:
    """The as-is maps an ideal map may improve on, after a blank 'choose' option."""
    return [SelectChoice("", _l("Choose an as-is map"))] + [
        SelectChoice(str(journey_map.id), journey_map.name) for journey_map in as_is_maps
    ]


def chosen_map_id(field: SelectField) -> int | None:
    """The id picked in an improves-on field, or None when left blank."""
    return int(field.data) if field.data else None


class NewPersonaForm(Form):
    """One persona row of the new-map form; a row left empty is skipped."""

    name = StringField(_l("Persona name"), filters=[strip], validators=[Optional(), Length(max=PERSONA_NAME_LENGTH)])
    description = StringField(
        _l("Short description"), filters=[strip], validators=[Length(max=PERSONA_DESCRIPTION_LENGTH)]
    )

    def validate_description(self, field):
        if field.data and not self.name.data:
            raise ValidationError(_l("Please give this persona a name."))


class NewMapForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(), Length(max=MAP_NAME_LENGTH)])
    description = TextAreaField(
        _l("Description"), filters=[strip], validators=[Length(max=DESCRIPTION_LENGTH)]
    )
    kind = RadioField(
        _l("Kind of map"),
        choices=[
            SelectChoice(MapKind.AS_IS.value, _l("As-is: the journey as customers live it today")),
            SelectChoice(MapKind.IDEAL.value, _l("Ideal: the journey as it should be")),
        ],
        default=MapKind.AS_IS.value,
    )
    improves_on = SelectField(_l("Improves on"))
    personas = FieldList(FormField(NewPersonaForm), min_entries=2, max_entries=MAX_NEW_PERSONAS)

    def validate_improves_on(self, field):
        if self.kind.data == MapKind.IDEAL and not field.data:
            raise ValidationError(_l("Please choose the as-is map this ideal map improves on."))
        if self.kind.data == MapKind.AS_IS and field.data:
            raise ValidationError(_l("An as-is map cannot improve on another map; leave this empty."))

    def validate_personas(self, field):
        if not self.persona_rows():
            raise ValidationError(_l("Please describe at least one persona."))

    def persona_rows(self) -> list[tuple[str, str]]:
        """(name, description) of each persona row filled in."""
        return [(entry.form.name.data, entry.form.description.data) for entry in self.personas if entry.form.name.data]


class MapForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(), Length(max=MAP_NAME_LENGTH)])
    description = TextAreaField(
        _l("Description"), filters=[strip], validators=[Length(max=DESCRIPTION_LENGTH)]
    )
    improves_on = SelectField(_l("Improves on"), validators=[DataRequired()])


class StageForm(FlaskForm):
    name = StringField(_l("Stage name"), filters=[strip], validators=[DataRequired(), Length(max=STAGE_NAME_LENGTH)])
    description = TextAreaField(
        _l("What happens in this stage"), filters=[strip], validators=[Length(max=DESCRIPTION_LENGTH)]
    )


class TouchpointForm(FlaskForm):
    name = StringField(
        _l("Touchpoint"), filters=[strip], validators=[DataRequired(), Length(max=TOUCHPOINT_NAME_LENGTH)]
    )
    channel = SelectField(
        _l("Channel"), choices=[SelectChoice(value, label) for value, label in CHANNELS.items()], default="other"
    )


class PersonaForm(FlaskForm):
    name = StringField(
        _l("Persona name"), filters=[strip], validators=[DataRequired(), Length(max=PERSONA_NAME_LENGTH)]
    )
    description = TextAreaField(
        _l("Short description"), filters=[strip], validators=[Length(max=PERSONA_DESCRIPTION_LENGTH)]
    )


class MoveForm(FlaskForm):
    direction = StringField(validators=[AnyOf([UP, DOWN])])


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token to check."""


class StageTargetForm(FlaskForm):
    """What a stage of an ideal map should feel like: a target valence and the emotions customers should name."""

    target_valence = FloatField(
        _l("Target valence"), validators=[Optional(), NumberRange(min=-1, max=1)],
        widget=NumberInput(step="0.05", min=-1, max=1),
    )
    target_emotions = SelectMultipleField(
        _l("Target emotions"), choices=[SelectChoice(emotion, name) for emotion, name in EMOTIONS.items()],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
    )
