"""Small builders for test data, written against the models so each feature's tests stand alone.

Call them inside an app context; they flush and return the object (the caller commits when a
request must see it).
"""
import secrets
import uuid

from webapp.database import utcnow
from webapp.extensions import db
from webapp.invitations.models import Invitation
from webapp.maps.models import JourneyMap, MapKind, Persona, Stage, Touchpoint
from webapp.surveys.models import Question, QuestionKind, Survey, SurveyVersion

STAGES = {
    "Awareness": ["Website", "Social media"],
    "Evaluation": ["Website", "Chat"],
    "Purchase": ["Cart", "Checkout"],
    "Post-purchase service": ["E-mail", "Phone"],
    "Loyalty": ["E-mail", "Store"],
}


def build_map(name: str = "Online shop", kind: MapKind = MapKind.AS_IS, personas=("First-time buyer", "Regular")):
    journey_map = JourneyMap(name=name, description="Test map", kind=kind)
    for position, (stage_name, touchpoints) in enumerate(STAGES.items()):
        stage = Stage(name=stage_name, position=position)
        stage.touchpoints = [Touchpoint(name=t, channel=t.lower(), position=i) for i, t in enumerate(touchpoints)]
        journey_map.stages.append(stage)
    journey_map.personas = [Persona(name=p, description="", position=i) for i, p in enumerate(personas)]
    db.session.add(journey_map)
    db.session.flush()
    return journey_map


def stage_named(journey_map: JourneyMap, name: str) -> Stage:
    return next(stage for stage in journey_map.stages if stage.name == name)


def build_survey(journey_map: JourneyMap | None = None, languages=("en", "pl", "ro"), publish: bool = True,
                 open_link: bool = False) -> Survey:
    """A post-purchase survey with one question of each kind, texts in every language given."""
    journey_map = journey_map or build_map()
    purchase = stage_named(journey_map, "Purchase")
    service = stage_named(journey_map, "Post-purchase service")
    survey = Survey(name="After purchase", journey_map=journey_map)
    if open_link:
        survey.open_link_token = secrets.token_urlsafe(24)
        survey.open_link_enabled = True
    titles = {"en": "How did it go?", "pl": "Jak poszło?", "ro": "Cum a fost?"}
    version = SurveyVersion(
        number=1,
        default_language=languages[0],
        languages=list(languages),
        texts={lang: {"title": titles[lang], "intro": "", "thanks": ""} for lang in languages},
        published_at=utcnow() if publish else None,
    )
    prompts = {
        QuestionKind.CSAT: ({"en": "How satisfied are you?", "pl": "Jak bardzo jesteś zadowolony?",
                             "ro": "Cât de mulțumit ești?"}, purchase, True),
        QuestionKind.TEXT: ({"en": "Tell us about checkout", "pl": "Opowiedz nam o płatności",
                             "ro": "Spune-ne despre plată"}, purchase, True),
        QuestionKind.NPS: ({"en": "Would you recommend us?", "pl": "Czy polecisz nas?",
                            "ro": "Ne-ai recomanda?"}, service, False),
        QuestionKind.CES: ({"en": "How easy was it?", "pl": "Jak łatwo było?", "ro": "Cât de ușor a fost?"},
                           service, False),
        QuestionKind.SINGLE_CHOICE: ({"en": "How did you pay?", "pl": "Jak zapłaciłeś?",
                                      "ro": "Cum ai plătit?"}, purchase, False),
        QuestionKind.MULTIPLE_CHOICE: ({"en": "What mattered?", "pl": "Co było ważne?",
                                        "ro": "Ce a contat?"}, purchase, False),
        QuestionKind.EMOTION: ({"en": "How did you feel?", "pl": "Jak się czułeś?", "ro": "Cum te-ai simțit?"},
                               service, False),
    }
    options = {
        QuestionKind.SINGLE_CHOICE: [
            {"value": "card", "labels": {"en": "Card", "pl": "Karta", "ro": "Card"}},
            {"value": "transfer", "labels": {"en": "Bank transfer", "pl": "Przelew", "ro": "Transfer bancar"}},
        ],
        QuestionKind.MULTIPLE_CHOICE: [
            {"value": "price", "labels": {"en": "Price", "pl": "Cena", "ro": "Preț"}},
            {"value": "speed", "labels": {"en": "Speed", "pl": "Szybkość", "ro": "Viteză"}},
            {"value": "service", "labels": {"en": "Service", "pl": "Obsługa", "ro": "Servire"}},
        ],
    }
    for position, (kind, (prompt, stage, required)) in enumerate(prompts.items()):
        version.questions.append(
            Question(
                key=str(uuid.uuid4()),
                position=position,
                kind=kind,
                stage=stage,
                touchpoint=stage.touchpoints[0],
                required=required,
                texts={lang: {"prompt": prompt[lang], "help": ""} for lang in languages},
                options=options.get(kind, []),
                max_length=2000,
            )
        )
    survey.versions.append(version)
    db.session.add(survey)
    db.session.flush()
    return survey


def build_invitation(survey: Survey, language: str | None = "pl", external_id: str | None = None,
                     persona: Persona | None = None, order_id: str = "") -> Invitation:
    external_id = external_id or f"cust-{uuid.uuid4().hex[:8]}"
    invitation = Invitation(
        survey=survey,
        token=secrets.token_urlsafe(24),
        external_id=external_id,
        email=f"{external_id}@example.com",
        name="Customer",
        language=language,
        order_id=order_id,
        persona=persona,
        dedupe_key=f"{external_id}|{order_id}",
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation


def question_of_kind(version: SurveyVersion, kind: QuestionKind) -> Question:
    return next(question for question in version.questions if question.kind == kind)


def build_response(survey: Survey, answers: dict | None = None, language: str = "en",
                   invitation: Invitation | None = None, persona: Persona | None = None,
                   submitted_at=None, version: SurveyVersion | None = None):
    """A response to the survey's live version (or `version`).

    `answers` maps questions (or, for surveys from build_survey, question kinds) to values: text for
    free text, an int for ratings, an option value or a list of option values / emotion ids for choices.
    """
    from webapp.responses.models import Answer, Response
    from webapp.surveys.models import RATING_SCALES

    version = version or survey.live_version
    submitted_at = submitted_at or utcnow()
    response = Response(
        survey_id=survey.id,
        version_id=version.id,
        invitation=invitation,
        submission_key=uuid.uuid4().hex,
        language=language,
        persona=persona or (invitation.persona if invitation is not None else None),
        submitted_at=submitted_at,
    )
    for key, value in (answers or {}).items():
        question = key if isinstance(key, Question) else question_of_kind(version, key)
        answer = Answer(question=question, stage_id=question.stage_id, touchpoint_id=question.touchpoint_id,
                        language=language, submitted_at=submitted_at)
        if question.kind in RATING_SCALES:
            answer.number = value
        elif question.kind == QuestionKind.TEXT:
            answer.text = value
        else:
            answer.choices = [value] if isinstance(value, str) else list(value)
        response.answers.append(answer)
    if invitation is not None:
        invitation.opened_at = invitation.opened_at or submitted_at
        invitation.answered_at = submitted_at
    db.session.add(response)
    db.session.flush()
    return response
