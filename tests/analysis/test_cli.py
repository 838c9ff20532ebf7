"""`flask analysis classify` and `flask analysis evaluate`, as outside scripts call them (CONTRACTS.md)."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from webapp import create_app
from webapp.labels import BLOCKERS, EMOTIONS

CONTRACT_KEYS = {"id", "lang", "supported", "valence", "emotions", "scores", "blockers", "blocker_scores",
                 "complaint", "evidence", "model"}


@pytest.fixture(scope="module")
def cli_runner(tmp_path_factory):
    """A CLI runner on an app whose database was never created: classification must not need one."""
    database = tmp_path_factory.mktemp("db") / "never-created.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    yield app.test_cli_runner()
    assert not database.exists()


def jsonl(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


def test_classify_from_stdin_to_stdout_in_a_fresh_process(tmp_path):
    """The exact command of CONTRACTS.md, on an empty database and with no server running."""
    environment = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    completed = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "webapp", "analysis", "classify"],
        input=jsonl({"id": "a1", "text": "The checkout kept failing and nobody answered the phone. Awful."},
                    {"id": 7, "text": "Bardzo miła obsługa, polecam!", "lang": "pl"}),
        capture_output=True, text=True, env=environment, cwd=Path(__file__).resolve().parents[2], timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    first, second = [json.loads(line) for line in completed.stdout.splitlines()]
    assert set(first) >= CONTRACT_KEYS and set(second) >= CONTRACT_KEYS
    assert (first["id"], first["lang"], first["supported"]) == ("a1", "en", True)
    assert first["valence"] < 0 and "checkout_friction" in first["blockers"] and first["complaint"] is True
    assert (second["id"], second["lang"]) == (7, "pl") and second["valence"] > 0
    assert set(first["scores"]) == set(EMOTIONS) and set(first["blocker_scores"]) == set(BLOCKERS)
    for item in first["evidence"]:
        assert "The checkout kept failing and nobody answered the phone. Awful."[item["start"]:item["end"]] == item["text"]


def test_bad_lines_get_an_error_in_place_and_the_run_goes_on(cli_runner):
    result = cli_runner.invoke(args=["analysis", "classify"], input=jsonl(
        {"id": 1, "text": "Great service, thank you"},
        "{not json",
        {"id": 3},
        {"id": 4, "text": 42},
        [1, 2],
        {"id": 6, "text": "Nu recomand, produsul s-a stricat după o săptămână", "lang": "ro"},
    ))
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("id") for line in lines] == [1, None, 3, 4, None, 6]
    assert [("error" in line) for line in lines] == [False, True, True, True, True, False]
    assert lines[2]["error"] == 'missing "text"'
    assert lines[5]["lang"] == "ro" and lines[5]["valence"] < 0
    assert "4 line(s) could not be classified" in result.stderr


def test_blank_lines_are_skipped_and_an_empty_input_is_fine(cli_runner):
    assert cli_runner.invoke(args=["analysis", "classify"], input="\n\n").exit_code == 0
    result = cli_runner.invoke(args=["analysis", "classify"], input="\n" + jsonl({"id": "x", "text": "ok"}) + "\n")
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1


def test_files_in_and_out(cli_runner, tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(jsonl(*({"id": i, "text": text} for i, text in enumerate(
        ["Where is my parcel? Still not delivered after two weeks.", "", "Merci beaucoup, très bien"]))),
        encoding="utf-8")
    result = cli_runner.invoke(args=["analysis", "classify", "--input", str(source), "--output", str(target)])
    assert result.exit_code == 0, result.output
    parcel, empty, french = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert "delivery_problem" in parcel["blockers"]
    assert empty["unlabelable"] and empty["emotions"] == [] and empty["supported"] is False
    assert french["lang"] == "fr" and french["supported"] is False and french["emotions"] == []


def test_a_missing_input_file_is_a_usage_error(cli_runner, tmp_path):
    result = cli_runner.invoke(args=["analysis", "classify", "--input", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 2
    assert "nope.jsonl" in result.output and "Traceback" not in result.output


def test_evaluate_prints_per_label_scores_macro_f1_and_valence_accuracy(cli_runner, tmp_path):
    path = tmp_path / "gold.jsonl"
    scope = ["anger", "joy"]
    path.write_text(jsonl(
        {"id": "1", "text": "I am so happy with this, wonderful!", "lang": "en", "emotions": ["joy"],
         "emotion_scope": scope, "valence": "positive", "blockers": None, "blocker_scope": None},
        {"id": "2", "text": "This makes me furious, what a disgrace", "lang": "en", "emotions": ["anger"],
         "emotion_scope": scope, "valence": "negative", "blockers": None, "blocker_scope": None},
    ), encoding="utf-8")
    result = cli_runner.invoke(args=["analysis", "evaluate", str(path)])
    assert result.exit_code == 0, result.output
    assert "joy" in result.output and "anger" in result.output
    assert "macro" in result.output.lower() and "valence" in result.output.lower()
    report = json.loads(cli_runner.invoke(args=["analysis", "evaluate", "--json", str(path)]).stdout)
    assert report["file"] == str(path)


def test_evaluate_refuses_a_file_that_is_not_jsonl(cli_runner, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine"}\nnot json\n', encoding="utf-8")
    result = cli_runner.invoke(args=["analysis", "evaluate", str(path)])
    assert result.exit_code == 2
    assert "line 2" in result.output and "Traceback" not in result.output
