"""`flask demo`: a journey map with a survey and realistic answers, for a first look.

`flask demo load` adds demo staff accounts, an as-is journey map of an online electronics shop
with an ideal map that improves on it, a published post-purchase survey in English, Polish and
Romanian, and a few hundred responses spread over the last twelve months. The answers are
composed from webapp/demo_data/sentences.py with a seeded random generator, so every run writes
the same data. Loading twice changes nothing.
"""
import os
import random
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from webapp.auth.models import Role, User
from webapp.auth.services import create_user, find_user_by_email
from webapp.database import utcnow
from webapp.demo_data.sentences import (
    BUSINESS,
    EMOJI,
    EVALUATION,
    FIRST_TIME,
    LOYALTY,
    MIXED,
    OPENERS,
    PURCHASE,
    SERVICE,
    SHORT_POSITIVE,
    TOPICS,
)
from webapp.demo_data.support import HELPDESK_COMPLAINTS
from webapp.extensions import db
from webapp.invitations.models import Invitation
from webapp.labels import POSITIVE_EMOTIONS
from webapp.maps.insights import set_stage_targets
from webapp.maps.models import JourneyMap, MapKind, Persona
from webapp.maps.services import create_map
from webapp.responses.models import Answer, Response
from webapp.support.models import ItemOrigin, ItemStatus
from webapp.support.services import Actor, create_complaints, label_item, update_item
from webapp.surveys.models import RATING_SCALES, Question, QuestionKind, Survey
from webapp.surveys.services import (
    QuestionSettings,
    add_question,
    create_survey,
    publish_draft,
    set_open_link,
    update_survey_texts,
)

demo_cli = AppGroup("demo", help="Load demo data.")

MAP_NAME = "Online electronics shop"
IDEAL_MAP_NAME = "Online electronics shop — ideal"
SURVEY_NAME = "After-purchase survey"
RESPONSE_COUNT = 360
PENDING_INVITATIONS = 40
SEED = 20240611
LANGUAGE_WEIGHTS = {"en": 40, "pl": 35, "ro": 25}

# For the demo only: printed on every load, and never meant for a real deployment.
STAFF = (
    (Role.ADMIN, "admin@demo.example", "Ada Admin", "demo-admin-pass"),
    (Role.MARKETER, "marketer@demo.example", "Marta Marketer", "demo-marketer-pass"),
    (Role.SUPPORT, "support@demo.example", "Sam Support", "demo-support-pass"),
)

PERSONAS = {
    FIRST_TIME: ("First-time buyer",
                 "Buys a phone, TV or laptop for home; compares prices; asks family before big spends."),
    BUSINESS: ("Business buyer",
               "Orders laptops and monitors for a small company; needs quotes, invoices and approvals."),
}

AS_IS_STAGES = (
    ("Awareness", (("Search ads", "other"), ("Social media", "social"), ("Newsletter", "e-mail"))),
    ("Evaluation", (("Product pages", "website"), ("Chat with an advisor", "chat"), ("Store visit", "store"))),
    ("Purchase", (("Cart", "cart"), ("Checkout", "cart"), ("Payment", "website"))),
    ("Post-purchase service", (("Delivery", "other"), ("Support hotline", "phone"), ("Returns", "website"))),
    ("Loyalty", (("Newsletter", "e-mail"), ("Mobile app", "app"), ("Store", "store"))),
)
IDEAL_STAGES = (
    ("Awareness", (("Honest reviews", "website"), ("Social media", "social"))),
    ("Evaluation", (("Compatibility checker", "website"), ("Video call with an expert", "chat"),
                    ("Instant business quote", "website"))),
    ("Purchase", (("One-page checkout", "cart"), ("Saved company details", "website"))),
    ("Post-purchase service", (("Live delivery tracking", "app"), ("Call-back within an hour", "phone"),
                               ("Printer-free returns", "store"))),
    ("Loyalty", (("Loyalty app", "app"), ("Account manager for companies", "phone"))),
)
# What the ideal map aims for at each stage: target valence and target emotions.
IDEAL_TARGETS = {
    "Awareness": (0.4, ["trust"]),
    "Evaluation": (0.4, ["confidence", "trust"]),
    "Purchase": (0.5, ["relief", "confidence"]),
    "Post-purchase service": (0.5, ["relief", "trust"]),
    "Loyalty": (0.6, ["joy", "trust"]),
}

SURVEY_TEXTS = {
    "en": {"title": "How was your order?",
           "intro": "Two minutes, ten short questions. Your answers go straight to the team that runs the shop.",
           "thanks": "Thank you! We read every answer, and we will use yours to make shopping with us easier."},
    "pl": {"title": "Jak poszło zamówienie?",
           "intro": "Dwie minuty, dziesięć krótkich pytań. "
                    "Odpowiedzi trafiają prosto do zespołu, który prowadzi sklep.",
           "thanks": "Dziękujemy! Czytamy każdą odpowiedź i wykorzystamy Twoją, żeby zakupy u nas były prostsze."},
    "ro": {"title": "Cum a fost comanda?",
           "intro": "Două minute, zece întrebări scurte. Răspunsurile ajung direct la echipa care conduce magazinul.",
           "thanks": "Mulțumim! Citim fiecare răspuns și îl vom folosi pe al tău "
                     "ca să fie mai ușor să cumperi de la noi."},
}


@dataclass(frozen=True)
class DemoQuestion:
    """One survey question: its kind, where on the map it is asked, its texts and, for choices, its options."""

    key: str
    kind: QuestionKind
    stage: str
    touchpoint: str
    prompt: dict
    help: dict = field(default_factory=dict)
    options: tuple = ()
    required: bool = False


QUESTIONS = (
    DemoQuestion("csat", QuestionKind.CSAT, "Purchase", "Checkout", required=True, prompt={
        "en": "Overall, how satisfied are you with your order?",
        "pl": "Jak ogólnie oceniasz swoje zamówienie?",
        "ro": "Cât de mulțumit ești, per total, de comanda ta?"}, help={
        "en": "1 = very dissatisfied, 5 = very satisfied", "pl": "1 = bardzo niezadowolony, 5 = bardzo zadowolony",
        "ro": "1 = foarte nemulțumit, 5 = foarte mulțumit"}),
    DemoQuestion("chose_us", QuestionKind.MULTIPLE_CHOICE, "Evaluation", "Product pages", prompt={
        "en": "What helped you choose us?", "pl": "Co pomogło Ci wybrać nasz sklep?",
        "ro": "Ce te-a ajutat să ne alegi?"}, options=(
        {"en": "Price", "pl": "Cena", "ro": "Prețul"},
        {"en": "Customer reviews", "pl": "Opinie klientów", "ro": "Recenziile clienților"},
        {"en": "Product details", "pl": "Opis produktu", "ro": "Detaliile produsului"},
        {"en": "Delivery time", "pl": "Czas dostawy", "ro": "Timpul de livrare"},
        {"en": "Advice from our staff", "pl": "Porada naszego konsultanta", "ro": "Sfatul colegilor noștri"})),
    DemoQuestion("evaluation_text", QuestionKind.TEXT, "Evaluation", "Product pages", prompt={
        "en": "Before you bought: was anything unclear or holding you back?",
        "pl": "Zanim kupiłeś: czy coś było niejasne albo Cię powstrzymywało?",
        "ro": "Înainte să cumperi: a fost ceva neclar sau care te-a oprit?"}),
    DemoQuestion("ces", QuestionKind.CES, "Purchase", "Checkout", prompt={
        "en": "How easy was it to place your order?", "pl": "Jak łatwo było złożyć zamówienie?",
        "ro": "Cât de ușor a fost să plasezi comanda?"}, help={
        "en": "1 = very difficult, 7 = very easy", "pl": "1 = bardzo trudno, 7 = bardzo łatwo",
        "ro": "1 = foarte greu, 7 = foarte ușor"}),
    DemoQuestion("payment", QuestionKind.SINGLE_CHOICE, "Purchase", "Payment", prompt={
        "en": "How did you pay?", "pl": "Jak zapłaciłeś?", "ro": "Cum ai plătit?"}, options=(
        {"en": "Card", "pl": "Karta", "ro": "Card"},
        {"en": "Bank transfer", "pl": "Przelew", "ro": "Transfer bancar"},
        {"en": "Cash on delivery", "pl": "Za pobraniem", "ro": "Ramburs"},
        {"en": "Instalments", "pl": "Raty", "ro": "În rate"})),
    DemoQuestion("purchase_text", QuestionKind.TEXT, "Purchase", "Checkout", prompt={
        "en": "How did paying and checkout go?", "pl": "Jak przebiegła płatność i finalizacja zamówienia?",
        "ro": "Cum a decurs plata și finalizarea comenzii?"}),
    DemoQuestion("emotion", QuestionKind.EMOTION, "Post-purchase service", "Delivery", prompt={
        "en": "How did you feel when your order arrived?", "pl": "Jak się czułeś, gdy dotarło zamówienie?",
        "ro": "Cum te-ai simțit când a sosit comanda?"}),
    DemoQuestion("service_text", QuestionKind.TEXT, "Post-purchase service", "Support hotline", prompt={
        "en": "How were delivery and our service after the purchase?",
        "pl": "Jak oceniasz dostawę i naszą obsługę po zakupie?",
        "ro": "Cum au fost livrarea și serviciile noastre după cumpărare?"}),
    DemoQuestion("nps", QuestionKind.NPS, "Loyalty", "Newsletter", prompt={
        "en": "How likely are you to recommend us to a friend or colleague?",
        "pl": "Jak bardzo prawdopodobne jest, że polecisz nas znajomemu?",
        "ro": "Cât de probabil este să ne recomanzi unui prieten sau coleg?"}, help={
        "en": "0 = not at all likely, 10 = extremely likely", "pl": "0 = wcale, 10 = na pewno",
        "ro": "0 = deloc, 10 = sigur"}),
    DemoQuestion("loyalty_text", QuestionKind.TEXT, "Loyalty", "Mobile app", prompt={
        "en": "Anything else you would like to tell us, or that we should improve?",
        "pl": "Czy chcesz nam jeszcze coś powiedzieć albo co powinniśmy poprawić?",
        "ro": "Mai vrei să ne spui ceva sau ce ar trebui să îmbunătățim?"}),
)
# Which stage's story each free-text question asks about.
STAGE_OF_TEXT_QUESTION = {"evaluation_text": EVALUATION, "purchase_text": PURCHASE, "service_text": SERVICE,
                          "loyalty_text": LOYALTY}


@dataclass
class Story:
    """What one customer went through: how they feel overall and what they write per stage."""

    mood: int  # -2 (furious) to 2 (delighted)
    topics: dict = field(default_factory=dict)  # stage -> topic id
    mixed: bool = False


class DemoWriter:
    """Composes the demo's customers and their answers from a seeded random generator."""

    def __init__(self, seed: int = SEED):
        self.random = random.Random(seed)

    def choose(self, weights: dict):
        return self.random.choices(list(weights), weights=list(weights.values()))[0]

    def story(self, persona: str) -> Story:
        """Happy, blocked by one problem, or mixed; problems weighted towards what happens to this persona."""
        kind = self.choose({"happy": 40, "problem": 42, "mixed": 12, "terse": 6})
        if kind == "terse":
            return Story(mood=self.random.choice((0, 1, 1)))
        if kind == "happy":
            good = [topic for topic, spec in TOPICS.items() if spec["mood"] > 0]
            chosen = self.random.sample(good, self.random.randint(1, 3))
            return Story(mood=2 if self.random.random() < 0.7 else 1,
                         topics={TOPICS[topic]["stage"]: topic for topic in chosen})
        problems = [topic for topic, spec in TOPICS.items() if spec["mood"] <= 0 and persona in spec["personas"]]
        problem = self.random.choice(problems)
        story = Story(mood=TOPICS[problem]["mood"], topics={TOPICS[problem]["stage"]: problem})
        if kind == "mixed":
            good = [topic for topic, spec in TOPICS.items()
                    if spec["mood"] > 0 and spec["stage"] != TOPICS[problem]["stage"]]
            praised = self.random.choice(good)
            story.topics.setdefault(TOPICS[praised]["stage"], praised)
            story.mood, story.mixed = 0, True
        elif story.mood <= -2 and LOYALTY not in story.topics and self.random.random() < 0.35:
            story.topics[LOYALTY] = "churn"
        elif LOYALTY not in story.topics and self.random.random() < 0.25:
            story.topics[LOYALTY] = "improve_app"
        return story

    def sentence_about(self, topic: str, language: str) -> str:
        sentences = TOPICS[topic][language]
        return " ".join(self.random.sample(sentences, 2 if self.random.random() < 0.3 else 1))

    def dress(self, text: str, mood: int, language: str) -> str:
        """Sometimes an opener before the point and an emoji after it, in the story's mood."""
        tone = (mood > 0) - (mood < 0)
        if self.random.random() < 0.3:
            text = f"{self.random.choice(OPENERS[language][tone])} {text}"
        if self.random.random() < 0.2:
            text = f"{text} {self.random.choice(EMOJI[tone])}"
        return text

    def text(self, story: Story, stage: str, language: str) -> str | None:
        """The free-text answer at this stage, or None where the customer left it empty."""
        if story.mixed and stage == LOYALTY:
            return self.dress(self.random.choice(MIXED[language]), 0, language)
        topic = story.topics.get(stage)
        if topic is not None:
            return self.dress(self.sentence_about(topic, language), TOPICS[topic]["mood"], language)
        if story.mood > 0 and self.random.random() < 0.25:
            return self.random.choice(SHORT_POSITIVE[language])
        return None

    def rating(self, kind: QuestionKind, story: Story) -> int | None:
        """A score on the question's scale that agrees with the customer's mood."""
        low, high = RATING_SCALES[kind]
        if kind == QuestionKind.CES and PURCHASE in story.topics:
            mood = TOPICS[story.topics[PURCHASE]]["mood"]
        else:
            mood = story.mood
        middle = (low + high) / 2
        spread = (high - low) / 4
        score = round(middle + mood * spread + self.random.gauss(0, spread / 2))
        return max(low, min(high, score))

    def emotions(self, story: Story) -> list[str]:
        felt = []
        for topic in story.topics.values():
            felt.extend(TOPICS[topic]["emotions"])
        if not felt:
            felt = ["joy", "trust"] if story.mood > 0 else ["surprise"]
        if story.mood < 0:
            felt = [emotion for emotion in felt if emotion not in POSITIVE_EMOTIONS] or ["disappointment"]
        return sorted(set(self.random.sample(felt, min(len(felt), self.random.randint(1, 2)))))

    def payment(self, persona: str, story: Story, values: list[str]) -> str:
        if story.topics.get(PURCHASE) == "card_declined":
            return values[0]
        weights = [5, 4, 1, 1] if persona == BUSINESS else [6, 2, 2, 2]
        return self.random.choices(values, weights=weights)[0]

    def reasons(self, values: list[str]) -> list[str]:
        return sorted(self.random.sample(values, self.random.randint(1, 3)), key=values.index)

    def moment(self, now: datetime) -> datetime:
        """A time in the last twelve months, more often recent (the shop is growing)."""
        days_ago = 365 * self.random.random() ** 1.4
        return now - timedelta(days=days_ago, minutes=self.random.randint(0, 600))


def demo_accounts(create_missing: bool) -> list[tuple[User, str | None]]:
    """The demo staff accounts (created where missing, if asked), each with its demo password while it has it."""
    accounts = []
    for role, email, name, password in STAFF:
        user = find_user_by_email(email)
        if user is None and create_missing:
            user = create_user(email, name, password, role)
        if user is not None:
            accounts.append((user, password if user.check_password(password) else None))
    return accounts


def build_maps() -> JourneyMap:
    """The as-is map of the shop and the ideal map that improves on it."""
    personas = list(PERSONAS.values())
    description = ("How customers find, choose, buy and live with electronics from our web shop, "
                   "from the first ad to the third order.")
    as_is = create_map(MAP_NAME, description, MapKind.AS_IS, personas, stages=AS_IS_STAGES)
    ideal = create_map(IDEAL_MAP_NAME, "Where we want to be in a year: quotes in minutes, checkout that never "
                       "blocks, returns without a printer.", MapKind.IDEAL, personas, improves_on_id=as_is.id,
                       stages=IDEAL_STAGES)
    for stage in ideal.stages:
        set_stage_targets(stage, *IDEAL_TARGETS[stage.name])
    return as_is


def build_survey(journey_map: JourneyMap, publisher: User) -> Survey:
    """The published post-purchase survey: every question kind, each tagged with a stage and touchpoint."""
    survey = create_survey(SURVEY_NAME, journey_map, list(LANGUAGE_WEIGHTS), "en")
    draft = survey.draft_version
    update_survey_texts(draft, SURVEY_TEXTS)
    stages = {stage.name: stage for stage in journey_map.stages}
    for question in QUESTIONS:
        stage = stages[question.stage]
        touchpoint = next(t for t in stage.touchpoints if t.name == question.touchpoint)
        add_question(draft, QuestionSettings(
            kind=question.kind, stage=stage, touchpoint=touchpoint, required=question.required,
            texts={language: {"prompt": prompt, "help": question.help.get(language, "")}
                   for language, prompt in question.prompt.items()},
            options=question.options,
        ))
    publish_draft(survey, publisher)
    set_open_link(survey, True)
    return survey


def backdate(journey_map: JourneyMap, survey: Survey, when: datetime) -> None:
    """The demo pretends the map and survey were made a year ago, before their first answers."""
    journey_map.created_at = journey_map.updated_at = when
    survey.created_at = survey.updated_at = when
    version = survey.live_version
    version.created_at = version.published_at = when


NAMES = {
    "en": [("Emily", "Clark"), ("James", "Walker"), ("Olivia", "Hughes"), ("Daniel", "Price"), ("Grace", "Turner")],
    "pl": [("Anna", "Nowak"), ("Piotr", "Kowalski"), ("Kasia", "Wisniewska"), ("Tomasz", "Lewandowski"),
           ("Magda", "Zielinska")],
    "ro": [("Ioana", "Popescu"), ("Andrei", "Ionescu"), ("Maria", "Dumitru"), ("Mihai", "Stan"),
           ("Elena", "Georgescu")],
}


def invite(survey: Survey, writer: DemoWriter, number: int, persona: Persona, language: str,
           sent_at: datetime) -> Invitation:
    """A personal link for one of the shop's customers, as the CSV import would have made it."""
    external_id = f"CUST-{10000 + number}"
    order_id = f"ORD-{sent_at:%Y%m}-{writer.random.randint(10000, 99999)}"
    first, last = writer.random.choice(NAMES[language])
    invitation = Invitation(
        survey=survey, token=secrets.token_urlsafe(24), external_id=external_id,
        email=f"{first.lower()}.{last.lower()}.{number}@example.com",
        name=f"{first} {last}", language=language, order_id=order_id, persona=persona,
        dedupe_key=f"{external_id}|{order_id}", created_at=sent_at,
    )
    db.session.add(invitation)
    return invitation


def build_responses(survey: Survey, writer: DemoWriter, now: datetime) -> int:
    """Answered invitations and open-link responses over the last year, plus invitations still waiting."""
    version = survey.live_version
    questions = {demo.key: question for demo, question in zip(QUESTIONS, version.questions, strict=True)}
    personas = {key: next(p for p in survey.journey_map.personas if p.name == name)
                for key, (name, _) in PERSONAS.items()}
    for number in range(RESPONSE_COUNT):
        persona_key = writer.choose({FIRST_TIME: 60, BUSINESS: 40})
        language = writer.choose(LANGUAGE_WEIGHTS)
        submitted_at = writer.moment(now)
        story = writer.story(persona_key)
        invitation = None
        if writer.random.random() < 0.82:
            invitation = invite(survey, writer, number, personas[persona_key], language,
                                submitted_at - timedelta(hours=writer.random.randint(2, 120)))
            invitation.opened_at = submitted_at - timedelta(minutes=writer.random.randint(2, 30))
            invitation.answered_at = submitted_at
        response = Response(
            survey=survey, version=version, invitation=invitation, submission_key=uuid.uuid4().hex,
            language=language, persona=personas[persona_key] if invitation else None, submitted_at=submitted_at,
        )
        for key, question in questions.items():
            answer = Answer(question=question, stage=question.stage, touchpoint=question.touchpoint,
                            language=language, submitted_at=submitted_at)
            if answer_value(answer, question, key, story, persona_key, language, writer):
                response.answers.append(answer)
        db.session.add(response)
    for number in range(RESPONSE_COUNT, RESPONSE_COUNT + PENDING_INVITATIONS):
        persona_key = writer.choose({FIRST_TIME: 60, BUSINESS: 40})
        sent_at = now - timedelta(days=writer.random.randint(0, 13), hours=writer.random.randint(0, 23))
        invitation = invite(survey, writer, number, personas[persona_key], writer.choose(LANGUAGE_WEIGHTS), sent_at)
        if writer.random.random() < 0.3:
            invitation.opened_at = sent_at + timedelta(hours=writer.random.randint(1, 20))
    db.session.flush()
    return RESPONSE_COUNT


def answer_value(answer: Answer, question: Question, key: str, story: Story, persona: str, language: str,
                 writer: DemoWriter) -> bool:
    """Fill in the answer to one question; False where the customer skipped it."""
    values = [option["value"] for option in question.options]
    if question.kind == QuestionKind.TEXT:
        answer.text = writer.text(story, STAGE_OF_TEXT_QUESTION[key], language)
        return answer.text is not None
    if not question.required and writer.random.random() < 0.08:
        return False
    if question.kind in RATING_SCALES:
        answer.number = writer.rating(question.kind, story)
    elif question.kind == QuestionKind.EMOTION:
        answer.choices = writer.emotions(story)
    elif question.kind == QuestionKind.SINGLE_CHOICE:
        answer.choices = [writer.payment(persona, story, values)]
    else:
        answer.choices = writer.reasons(values)
    return True


def build_support_history(journey_map: JourneyMap, staff: User, now: datetime) -> None:
    """Help-desk complaints that support staff labelled over the last months (webapp/demo_data/support.py):
    labelled by the classifier as they would have been on arrival, then confirmed or corrected, and resolved."""
    stages = {stage.name: stage.id for stage in journey_map.stages}
    records = [{"text": text, "channel": channel, "language": language, "stage_id": stages[stage]}
               for _days, channel, language, stage, text, _emotions, _blockers in HELPDESK_COMPLAINTS]
    actor = Actor(name=staff.name, user_id=staff.id)
    items = create_complaints(records, ItemOrigin.MANUAL, actor)
    for item, (days, *_fields, emotions, blockers) in zip(items, HELPDESK_COMPLAINTS):
        label_item(item, item.version, actor, emotions=emotions, blockers=blockers)
        update_item(item, item.version, actor, status=ItemStatus.RESOLVED)
        received = now - timedelta(days=days, hours=3)
        item.received_at = item.updated_at = received
        item.human_label.labelled_at = received + timedelta(hours=2)
        for entry in item.audit:
            entry.changed_at = received + timedelta(hours=2)
    db.session.flush()


def base_url() -> str:
    return os.environ.get("DEMO_URL", f"http://127.0.0.1:{os.environ.get('PORT', '5000')}")


def print_sign_in(accounts: list[tuple[User, str | None]], survey: Survey | None) -> None:
    url = base_url()
    click.echo(f"Sign in at {url}/sign-in with a demo account (for the demo only; never use them in production):")
    for user, password in accounts:
        shown = password or "(password changed; not the demo one)"
        click.echo(f"  {user.role.value:<9} {user.email:<24} {shown}")
    if survey is None:
        return
    waiting = db.session.scalar(
        select(Invitation).where(Invitation.survey_id == survey.id, Invitation.answered_at.is_(None),
                                 Invitation.language == "pl").order_by(Invitation.id).limit(1)
    )
    if waiting is not None:
        click.echo(f"Answer as a customer (a personal link, in Polish): {url}/r/{waiting.token}")
    if survey.open_link_enabled and survey.open_link_token:
        click.echo(f"The survey's open link: {url}/o/{survey.open_link_token}")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True,
              help="Load only into a database without journey maps or staff accounts.")
def load_command(if_empty: bool) -> None:
    """Add demo staff, a journey map, a survey in en/pl/ro and a year of answers (idempotent)."""
    existing = db.session.scalar(select(JourneyMap).where(JourneyMap.name == MAP_NAME))
    if if_empty and existing is None and (
        db.session.scalar(select(func.count(JourneyMap.id))) or db.session.scalar(select(func.count(User.id)))
    ):
        click.echo("The database already has maps or staff accounts; demo data not loaded (--if-empty).")
        return
    if existing is not None:
        survey = db.session.scalar(select(Survey).where(Survey.name == SURVEY_NAME, Survey.map_id == existing.id))
        click.echo(f"Demo data is already loaded (map “{MAP_NAME}”); nothing changed.")
        print_sign_in(demo_accounts(create_missing=False), survey)
        return
    accounts = demo_accounts(create_missing=True)
    marketer = next(user for user, _ in accounts if user.role == Role.MARKETER)
    now = utcnow()
    journey_map = build_maps()
    survey = build_survey(journey_map, marketer)
    backdate(journey_map, survey, now - timedelta(days=380))
    count = build_responses(survey, DemoWriter(), now)
    support = next(user for user, _ in accounts if user.role == Role.SUPPORT)
    build_support_history(journey_map, support, now)
    db.session.commit()
    click.echo(f"Loaded the demo: map “{MAP_NAME}” with its ideal map, survey “{SURVEY_NAME}” in English, "
               f"Polish and Romanian, {count} responses over the last 12 months.")
    print_sign_in(accounts, survey)

