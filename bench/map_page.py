"""How long a map page takes to open over a million labelled answers, warm and right after new labels.

    .venv/bin/python bench/map_page.py [--backend sqlite|postgresql|both] [--answers 1000000]

For each database (both by default when PostgreSQL answers at TEST_DATABASE_URL or 127.0.0.1:5432):
1. An empty database is built by the migrations; a map (5 stages, 3 personas) and a published survey (a
   free-text question per stage, CSAT, CES, NPS and an emotion picker) are made through the ORM.
2. `--answers` labelled free-text answers are written straight into the tables, spread over 12 months,
   the 3 personas and 3 languages, with the responses, ratings, picked emotions, machine labels and label
   log rows that go with them: Core executemany on SQLite, COPY on PostgreSQL. Ids are given here, so no
   row needs reading back (PostgreSQL's sequences are moved past them afterwards).
3. The real fold job code (`fold_pending`) folds every answer and label into the map cells, timed.
4. The map page `/maps/<id>` is opened through the app's test client, signed in as a marketer: once to
   warm up, then `--opens` times; the warm figure is the median. `map_figures` alone is timed the same way,
   and `blocker_quotes` (10 a page) for the top blocker of Purchase at pages 1 and 100.
5. Cold, `--rounds` times: `--new-labels` new labelled answers land, the fold runs (timed apart), and the
   first open of the page after it is timed: its charts are drawn again, as their cache key changed.
The last line is `RESULT map_page_p50_ms=<warm p50> map_page_cold_ms=<median first open after new labels>
answers=<labelled answers>`, the worse of the databases run.
"""
import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "bench map page password"
MODEL_VERSION = "bench-1"
STAGES = ("Awareness", "Evaluation", "Purchase", "Post-purchase service", "Loyalty")
STAGE_MOOD = (0.3, 0.1, -0.25, -0.1, 0.35)
PERSONAS = ("First-time buyer", "Business buyer", "Regular")
PERSONA_MOOD = (0.0, -0.15, 0.2)
LANGUAGES = ("en", "pl", "ro")
NEGATIVE = ("frustration", "disappointment", "anger", "anxiety", "uncertainty", "suspicion")
POSITIVE = ("joy", "relief", "trust", "confidence", "pride")
STAGE_BLOCKERS = (
    ("information_gap", "value_uncertainty"), ("pricing_unclear", "approval_needed", "budget_constraint"),
    ("checkout_friction", "website_usability", "trust_concern"), ("delivery_problem", "contact_difficulty",
                                                                  "returns_friction", "product_defect"),
    ("timing", "product_defect"),
)
CHUNK_RESPONSES = 20_000


def postgres_server_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES_URL).replace("postgresql://", "postgresql+psycopg://", 1)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            return url
    except sa.exc.OperationalError:
        return None
    finally:
        engine.dispose()


class Database:
    """An empty database of one backend, dropped afterwards."""

    def __init__(self, backend: str, server_url: str | None, directory: Path):
        self.backend, self.server_url = backend, server_url
        if backend == "sqlite":
            self.url = f"sqlite:///{directory / 'map_page.sqlite3'}"
        else:
            self.name = f"bench_map_page_{uuid.uuid4().hex[:10]}"
            self.url = sa.engine.make_url(server_url).set(database=self.name).render_as_string(hide_password=False)

    def __enter__(self) -> "Database":
        if self.backend == "postgresql":
            self._admin(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc) -> None:
        if self.backend == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        engine = sa.create_engine(self.server_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.exec_driver_sql(statement)
        engine.dispose()


def build_structure():
    """The map, its survey and a marketer; returns what the seeding needs to know of them."""
    from webapp.auth.models import Role
    from webapp.auth.services import create_user
    from webapp.database import utcnow
    from webapp.extensions import db
    from webapp.maps.services import create_map
    from webapp.surveys.models import Question, QuestionKind, Survey, SurveyVersion

    journey_map = create_map("Bench shop", "", "as-is", list(PERSONAS),
                             stages=[(name, [(f"{name} site", "website")]) for name in STAGES])
    version = SurveyVersion(number=1, default_language="en", languages=list(LANGUAGES), texts={},
                            published_at=utcnow())
    survey = Survey(name="Bench survey", journey_map=journey_map, versions=[version])
    kinds = [(QuestionKind.TEXT, stage) for stage in journey_map.stages] + [
        (QuestionKind.CSAT, journey_map.stages[2]), (QuestionKind.CES, journey_map.stages[2]),
        (QuestionKind.EMOTION, journey_map.stages[3]), (QuestionKind.NPS, journey_map.stages[4])]
    for position, (kind, stage) in enumerate(kinds):
        version.questions.append(Question(key=uuid.uuid4().hex, position=position, kind=kind, stage=stage,
                                          touchpoint=stage.touchpoints[0], texts={}, options=[]))
    db.session.add(survey)
    create_user("marketer@bench.example", "Bench Marketer", PASSWORD, Role.MARKETER)
    db.session.commit()
    questions = [(question.id, question.kind, question.stage_id, question.touchpoint_id)
                 for question in version.questions]
    structure = {"map_id": journey_map.id, "survey_id": survey.id, "version_id": version.id,
                 "personas": [persona.id for persona in journey_map.personas], "questions": questions,
                 "stage_index": {stage.id: index for index, stage in enumerate(journey_map.stages)}}
    db.session.rollback()  # end the read, so SQLite's writer lock is free for the seeding
    return structure


class Seeder:
    """Writes responses with their answers, labels and label log rows straight into the tables."""

    def __init__(self, structure: dict, backend: str, seed: int = 5):
        self.structure, self.backend = structure, backend
        self.rng = random.Random(seed)
        self.next_ids = {"response": 1, "answer": 1, "answer_label": 1, "label_write": 1}
        self.labelled = 0

    def _take(self, table: str) -> int:
        value = self.next_ids[table]
        self.next_ids[table] += 1
        return value

    def _label(self, answer_id: int, stage_index: int, mood: float, when: datetime) -> tuple[dict, str]:
        rng = self.rng
        valence = max(-1.0, min(1.0, rng.gauss(mood, 0.45)))
        pool = NEGATIVE if valence < 0 else POSITIVE
        emotions = rng.sample(pool, rng.choice((0, 1, 1, 2)))
        blockers = rng.sample(STAGE_BLOCKERS[stage_index], 1) if valence < -0.2 and rng.random() < 0.6 else []
        text = f"{' and '.join(blockers or emotions or ['fine'])} at {STAGES[stage_index].lower()} #{answer_id}"
        evidence = [{"label": label, "start": 0, "end": len(label), "text": label} for label in blockers[:1]]
        return {"id": self._take("answer_label"), "answer_id": answer_id, "model_version": MODEL_VERSION,
                "lang": "en", "supported": True, "valence": round(valence, 4), "emotions": emotions,
                "scores": {}, "blockers": blockers, "blocker_scores": {}, "complaint": valence < -0.6,
                "evidence": evidence, "unlabelable": None, "labelled_at": when}, text

    def chunk(self, responses: int, now: datetime, days: int = 365) -> dict[str, list[dict]]:
        """Rows of `responses` responses, each with a labelled free-text answer per stage and four others."""
        rng, structure = self.rng, self.structure
        rows: dict[str, list[dict]] = {"response": [], "answer": [], "answer_label": [], "label_write": []}
        for _ in range(responses):
            response_id = self._take("response")
            persona = rng.randrange(len(PERSONAS))
            language = rng.choice(LANGUAGES)
            when = now - timedelta(days=rng.random() * days)
            rows["response"].append({
                "id": response_id, "survey_id": structure["survey_id"], "version_id": structure["version_id"],
                "invitation_id": None, "submission_key": f"bench-{response_id}", "language": language,
                "persona_id": structure["personas"][persona], "submitted_at": when})
            mood = PERSONA_MOOD[persona] + rng.gauss(0, 0.2)
            for question_id, kind, stage_id, touchpoint_id in structure["questions"]:
                answer = {"id": self._take("answer"), "response_id": response_id, "question_id": question_id,
                          "stage_id": stage_id, "touchpoint_id": touchpoint_id, "language": language,
                          "submitted_at": when, "text": None, "number": None, "choices": None}
                stage_index = structure["stage_index"][stage_id]
                if kind == "text":
                    label, answer["text"] = self._label(answer["id"], stage_index, STAGE_MOOD[stage_index] + mood,
                                                        when)
                    rows["answer_label"].append(label)
                    rows["label_write"].append({"id": self._take("label_write"), "answer_id": answer["id"],
                                                "model_version": MODEL_VERSION, "claim_id": "bench",
                                                "worker_id": "bench", "written_at": when})
                    self.labelled += 1
                elif kind == "emotion":
                    answer["choices"] = rng.sample(NEGATIVE if mood < 0 else POSITIVE, rng.randint(1, 2))
                elif kind == "nps":
                    answer["number"] = max(0, min(10, round(7 + mood * 6 + rng.gauss(0, 2))))
                elif kind == "csat":
                    answer["number"] = max(1, min(5, round(3.5 + mood * 3 + rng.gauss(0, 1))))
                else:  # ces
                    answer["number"] = max(1, min(7, round(4.5 + mood * 4 + rng.gauss(0, 1.2))))
                rows["answer"].append(answer)
        return rows

    def write(self, rows: dict[str, list[dict]]) -> None:
        from webapp.extensions import db

        if self.backend == "postgresql":
            self._copy(rows)
            return
        with db.engine.begin() as connection:
            for table in ("response", "answer", "answer_label", "label_write"):
                if rows[table]:
                    connection.execute(db.metadata.tables[table].insert(), rows[table])

    def _copy(self, rows: dict[str, list[dict]]) -> None:
        """COPY each table's rows in; JSON columns go as JSON text."""
        from webapp.extensions import db

        json_columns = {"choices", "emotions", "scores", "blockers", "blocker_scores", "evidence"}
        connection = db.engine.raw_connection()
        try:
            with connection.cursor() as cursor:
                for table, table_rows in rows.items():
                    if not table_rows:
                        continue
                    columns = list(table_rows[0])
                    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                        for row in table_rows:
                            copy.write_row([json.dumps(row[c]) if c in json_columns and row[c] is not None
                                            else row[c] for c in columns])
            connection.commit()
        finally:
            connection.close()

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids given here; refresh the planner's statistics."""
        from webapp.extensions import db

        with db.engine.begin() as connection:
            if self.backend == "postgresql":
                for table in self.next_ids:
                    connection.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        analyze()


def analyze() -> None:
    from webapp.extensions import db

    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")


def timed_ms(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def run_backend(backend: str, server_url: str | None, arguments) -> dict:
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.database import utcnow
    from webapp.extensions import db
    from webapp.maps.aggregates import fold_pending
    from webapp.maps.insights import blocker_quotes, map_figures
    from webapp.maps.models import JourneyMap

    with tempfile.TemporaryDirectory() as directory, Database(backend, server_url, Path(directory)) as database:
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database.url,
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
        with app.app_context():
            upgrade()
            structure = build_structure()
            seeder = Seeder(structure, backend)
            texts_per_response = sum(1 for _q, kind, _s, _t in structure["questions"] if kind == "text")
            responses = -(-arguments.answers // texts_per_response)
            now = utcnow()
            started = time.perf_counter()
            while responses > 0:
                seeder.write(seeder.chunk(min(CHUNK_RESPONSES, responses), now))
                responses -= CHUNK_RESPONSES
            seeder.finish()
            seed_s = time.perf_counter() - started
            answers = seeder.next_ids["answer"] - 1
            print(f"{backend}: seeded {seeder.labelled:,} labelled answers ({answers:,} answers in all, "
                  f"{seeder.next_ids['response'] - 1:,} responses) in {seed_s:.1f} s", flush=True)

            started = time.perf_counter()
            outcome = fold_pending(batch_size=arguments.batch_size)
            fold_s = time.perf_counter() - started
            analyze()
            print(f"{backend}: {outcome} in {fold_s:.1f} s ({outcome.events / fold_s:,.0f} events/s)", flush=True)

            journey_map = db.session.get(JourneyMap, structure["map_id"])
            with app.test_request_context():
                figures_ms = [timed_ms(lambda: map_figures(journey_map)) for _ in range(arguments.opens)]
                purchase = map_figures(journey_map).stages[2]
                blocker = purchase.company_blockers[0].label

                def quotes(page: int) -> None:
                    blocker_quotes(journey_map, purchase.stage_id, blocker, page=page, per_page=10)

                quotes_ms = {page: statistics.median(timed_ms(lambda: quotes(page)) for _ in range(10))
                             for page in (1, 100)}
            db.session.rollback()
            print(f"{backend}: quotes of {blocker} at {purchase.name} ({purchase.company_blockers[0].count:,} "
                  f"answers), 10 a page: page 1 {quotes_ms[1]:.1f} ms, page 100 {quotes_ms[100]:.1f} ms", flush=True)

        client = app.test_client()
        response = client.post("/sign-in", data={"email": "marketer@bench.example", "password": PASSWORD})
        assert response.status_code == 302, response.status_code
        url = f"/maps/{structure['map_id']}"

        def open_page() -> None:
            page = client.get(url)
            assert page.status_code == 200, page.status_code

        open_page()
        warm_ms = [timed_ms(open_page) for _ in range(arguments.opens)]
        cold_ms, fold_ms = [], []
        for _ in range(arguments.rounds):
            with app.app_context():
                seeder.write(seeder.chunk(-(-arguments.new_labels // texts_per_response), utcnow(), days=1))
                fold_ms.append(timed_ms(lambda: fold_pending(batch_size=arguments.batch_size)))
            cold_ms.append(timed_ms(open_page))
        result = {
            "backend": backend, "answers": seeder.labelled,
            "figures_p50_ms": statistics.median(figures_ms),
            "page_p50_ms": statistics.median(warm_ms),
            "page_p95_ms": sorted(warm_ms)[max(0, round(0.95 * len(warm_ms)) - 1)],
            "cold_ms": statistics.median(cold_ms), "cold_all_ms": cold_ms,
            "new_labels_fold_ms": statistics.median(fold_ms),
        }
        print(f"{backend}: map_figures p50 {result['figures_p50_ms']:.1f} ms; page warm p50 "
              f"{result['page_p50_ms']:.1f} ms, p95 {result['page_p95_ms']:.1f} ms; cold "
              f"{', '.join(f'{ms:.0f}' for ms in cold_ms)} ms (after folding {arguments.new_labels} new labels "
              f"in {result['new_labels_fold_ms']:.0f} ms)", flush=True)
        with app.app_context():
            db.engine.dispose()
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"))
    parser.add_argument("--answers", type=int, default=1_000_000, help="labelled free-text answers to seed")
    parser.add_argument("--opens", type=int, default=30, help="warm opens of the page")
    parser.add_argument("--rounds", type=int, default=3, help="cold opens, each after new labels are folded")
    parser.add_argument("--new-labels", type=int, default=1000, help="labelled answers landing before a cold open")
    parser.add_argument("--batch-size", type=int, default=5000, help="fold batch size")
    arguments = parser.parse_args()
    server_url = postgres_server_url()
    backend = arguments.backend or ("both" if server_url else "sqlite")
    if backend != "sqlite" and server_url is None:
        print("PostgreSQL does not answer; set TEST_DATABASE_URL", file=sys.stderr)
        return 2
    backends = ("sqlite", "postgresql") if backend == "both" else (backend,)
    results = [run_backend(name, server_url, arguments) for name in backends]
    print(f"RESULT map_page_p50_ms={max(r['page_p50_ms'] for r in results):.1f} "
          f"map_page_cold_ms={max(r['cold_ms'] for r in results):.1f} "
          f"answers={min(r['answers'] for r in results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
