"""How fast customers' answers are stored, against a minimal Flask + SQLAlchemy app, in the same run.

    .venv/bin/python bench/submit.py [--clients 20] [--submits 50] [--invitations 6000]

Both apps run as in production: gunicorn (2 workers x 4 threads) on 127.0.0.1, each on its own
copy of one SQLite database whose schema the migrations built and which holds a published survey
(free text, CSAT, NPS, CES, single choice) with thousands of invitations. Concurrent clients (threads,
each a keep-alive `requests` session) take the next personal link, GET it to read the form's CSRF
token and submission key, and POST the answers; only the POSTs are timed. A short single-client
round gives the latency floor; the round at --clients concurrent clients gives the figures of the
last line:

    RESULT submit_ratio=<ours/baseline throughput> submit_p95_ms=<our p95> submits_per_s=<ours>

Afterwards it checks that every accepted POST stored exactly one response with its answers.
Never part of the test suite; it stops by itself within about two minutes.
"""
import argparse
import contextlib
import os
import re
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROUND_LIMIT_S = 40  # no round's POSTs run longer than this, however slow the server
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the app's package, also where it is not installed into the environment
HIDDEN_FIELD = re.compile(r'<input[^>]*name="(csrf_token|submission_key)"[^>]*value="([^"]*)"')
TEXT_ANSWERS = [
    "Delivery was fast and the laptop works great.",
    "My card was declined twice before the payment went through.",
    "Dostawa szybka, ale aplikacja ciągle się zawiesza.",
    "Livrare rapidă, produs foarte bun, mulțumesc! 🙂",
]


OPTIONS = [{language: label for language in ("en", "pl", "ro")} for label in ("Card", "Bank transfer")]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seed(database: Path, invitations: int) -> dict:
    """Build the schema with the migrations, then a published survey and its invitations; return the plan."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "bench"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    os.environ.update(env)
    from webapp import create_app
    from webapp.auth.services import create_user
    from webapp.extensions import db
    from webapp.invitations.models import Invitation
    from webapp.maps.models import MapKind
    from webapp.maps.services import create_map
    from webapp.surveys.models import QuestionKind
    from webapp.surveys.services import (
        QuestionSettings, add_question, create_survey, publish_draft, update_survey_texts,
    )

    app = create_app()
    with app.app_context():
        marketer = create_user("bench@example.com", "Bench", "bench-password", "marketer")
        journey_map = create_map("Bench shop", "", MapKind.AS_IS, ["Customer"])
        purchase = journey_map.stages[2]
        survey = create_survey("Bench survey", journey_map, ["en", "pl", "ro"], "en")
        draft = survey.draft_version
        update_survey_texts(draft, {language: {"title": "How was it?"} for language in ("en", "pl", "ro")})
        kinds = [QuestionKind.CSAT, QuestionKind.TEXT, QuestionKind.NPS, QuestionKind.CES,
                 QuestionKind.SINGLE_CHOICE]
        for kind in kinds:
            add_question(draft, QuestionSettings(
                kind=kind, stage=purchase, touchpoint=purchase.touchpoints[0], required=kind == QuestionKind.CSAT,
                texts={language: {"prompt": f"{kind} question"} for language in ("en", "pl", "ro")},
                options=OPTIONS if kind == QuestionKind.SINGLE_CHOICE else (),
            ))
        publish_draft(survey, marketer)
        questions = {question.kind: question.id for question in draft.questions}
        tokens = [secrets.token_urlsafe(24) for _ in range(invitations)]
        db.session.execute(Invitation.__table__.insert(), [
            {"survey_id": survey.id, "token": token, "external_id": f"C{number}", "email": "", "name": "",
             "language": ("en", "pl", "ro")[number % 3], "order_id": f"O{number}", "persona_id": None,
             "dedupe_key": f"C{number}|O{number}", "created_at": survey.created_at}
            for number, token in enumerate(tokens)
        ])
        db.session.commit()
        db.engine.dispose()
    return {"tokens": tokens, "questions": questions}


def answers(questions: dict, number: int) -> dict:
    from webapp.surveys.models import QuestionKind

    return {
        f"q{questions[QuestionKind.CSAT]}": str(1 + number % 5),
        f"q{questions[QuestionKind.TEXT]}": TEXT_ANSWERS[number % len(TEXT_ANSWERS)],
        f"q{questions[QuestionKind.NPS]}": str(number % 11),
        f"q{questions[QuestionKind.CES]}": str(1 + number % 7),
        f"q{questions[QuestionKind.SINGLE_CHOICE]}": "card" if number % 2 else "bank_transfer",
    }


class Server:
    """A gunicorn serving one app on its own port and database, stopped on exit."""

    def __init__(self, name: str, target: list[str], database: Path, log: Path, workers: int, threads: int):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "bench",
               "PYTHONUNBUFFERED": "1"}
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", str(threads), "--log-level",
             "warning", "-b", f"127.0.0.1:{self.port}", *target],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )

    def __enter__(self) -> "Server":
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} server exited; see {self.log.name}")
            try:
                requests.get(self.url + "/r/warm-up", timeout=2)
                return self
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} server did not start within 30 s; see {self.log.name}")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@dataclass
class Round:
    """One load round: the POST latencies, failures and the time it took."""

    clients: int
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def add(self, other: "Round") -> None:
        """Pool another round's figures into this one."""
        self.latencies += other.latencies
        self.failures += other.failures
        self.seconds += other.seconds

    def percentile(self, fraction: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000

    def line(self, name: str) -> str:
        return (f"{name:<9} clients={self.clients:<3} submits={len(self.latencies):<5} "
                f"failures={len(self.failures):<3} submits/s={self.throughput:7.1f} "
                f"p50={self.percentile(0.50):6.1f} ms p95={self.percentile(0.95):6.1f} ms "
                f"mean={statistics.fmean(self.latencies) * 1000 if self.latencies else float('nan'):6.1f} ms")


class Links:
    """Hands out each personal link once, across client threads."""

    def __init__(self, tokens: list[str]):
        self.tokens = iter(enumerate(tokens))
        self.lock = threading.Lock()

    def next(self):
        with self.lock:
            return next(self.tokens, None)


def run_round(server: Server, links: Links, questions: dict, clients: int, submits_per_client: int) -> Round:
    """`clients` threads each open their links (untimed), then all submit them at once; only POSTs are timed.

    Opening a link renders the whole survey and notes when it was opened; keeping that out of the timed
    window measures storing answers, not rendering pages.
    """
    result = Round(clients)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client() -> None:
        session = requests.Session()
        forms = []
        for _ in range(submits_per_client):
            link = links.next()
            if link is None:
                break
            number, token = link
            url = f"{server.url}/r/{token}"
            try:
                page = session.get(url, timeout=10)
            except requests.RequestException as error:
                with lock:
                    result.failures.append(f"GET {error!r}")
                continue
            forms.append((url, {**dict(HIDDEN_FIELD.findall(page.text)), **answers(questions, number)}))
        start.wait()
        deadline = time.monotonic() + ROUND_LIMIT_S
        for url, data in forms:
            if time.monotonic() > deadline:
                return
            started = time.perf_counter()
            try:
                posted = session.post(url, data=data, allow_redirects=False, timeout=10)
            except requests.RequestException as error:
                with lock:
                    result.failures.append(f"POST {error!r}")
                continue
            elapsed = time.perf_counter() - started
            with lock:
                if posted.status_code == 302 and "/thanks" in posted.headers.get("Location", ""):
                    result.latencies.append(elapsed)
                else:
                    result.failures.append(f"POST {posted.status_code}")

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join(timeout=ROUND_LIMIT_S + 15)
    result.seconds = time.monotonic() - started
    return result


def stored(database: Path) -> tuple[int, int, int]:
    """Responses, answers and answered invitations in a database."""
    with sqlite3.connect(database) as connection:
        return tuple(connection.execute(sql).fetchone()[0] for sql in (
            "SELECT count(*) FROM response", "SELECT count(*) FROM answer",
            "SELECT count(*) FROM invitation WHERE answered_at IS NOT NULL",
        ))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients of the main rounds")
    parser.add_argument("--submits", type=int, default=25, help="submits per client in each main round")
    parser.add_argument("--repeats", type=int, default=3, help="rounds per app and concurrency, interleaved")
    parser.add_argument("--invitations", type=int, default=6000, help="personal links seeded per app")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes of both apps")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker of both apps")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (databases, logs)")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-submit-"))
    try:
        print(f"Seeding {options.invitations} invitations in {folder} ...", flush=True)
        databases = {"ours": folder / "ours.sqlite3", "baseline": folder / "baseline.sqlite3"}
        plan = seed(databases["ours"], options.invitations)
        shutil.copyfile(databases["ours"], databases["baseline"])
        targets = {"ours": ["wsgi:app"], "baseline": ["--pythonpath", str(ROOT / "bench"), "baseline_app:app"]}
        links = {name: Links(plan["tokens"]) for name in targets}
        rounds = {(name, clients): Round(clients) for name in targets for clients in (1, options.clients)}
        with contextlib.ExitStack() as stack:
            servers = {
                name: stack.enter_context(Server(name, target, databases[name], folder / f"{name}.log",
                                                 options.workers, options.threads))
                for name, target in targets.items()
            }
            for name, server in servers.items():
                run_round(server, links[name], plan["questions"], 4, 10)  # warm-up: imports, caches, connections
            # The machine is shared and noisy: alternate the apps in short rounds so both meet the same noise.
            for repeat in range(options.repeats):
                order = list(servers) if repeat % 2 == 0 else list(reversed(servers))
                for clients, submits in ((1, 50), (options.clients, options.submits)):
                    for name in order:
                        result = run_round(servers[name], links[name], plan["questions"], clients, submits)
                        rounds[name, clients].add(result)
        for (name, clients), result in rounds.items():
            print(result.line(name), flush=True)
            for failure in sorted(set(result.failures))[:5]:
                print(f"  failure: {failure}")
        for name, database in databases.items():
            accepted = sum(len(result.latencies) for (app, _), result in rounds.items() if app == name)
            responses, answer_rows, answered = stored(database)
            print(f"{name:<9} stored responses={responses} answers={answer_rows} answered invitations={answered} "
                  f"(timed accepted POSTs: {accepted}, plus the warm-up)")
            if not responses == answered >= accepted:
                print(f"{name}: stored rows do not match the accepted submits", file=sys.stderr)
                return 1
        ours, baseline = rounds["ours", options.clients], rounds["baseline", options.clients]
        if not ours.latencies or not baseline.latencies:
            print(f"No successful submits; see the server logs in {folder}", file=sys.stderr)
            options.keep = True
            return 1
        if options.keep:
            print(f"Kept {folder}")
        print(f"RESULT submit_ratio={ours.throughput / baseline.throughput:.2f} "
              f"submit_p95_ms={ours.percentile(0.95):.1f} submits_per_s={ours.throughput:.1f}")
        return 0
    finally:
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
