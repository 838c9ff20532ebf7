"""`flask analysis ...`: classification from the command line (see ../shared/CONTRACTS.md)."""
import json
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO

import click
from flask.cli import AppGroup

analysis_cli = AppGroup("analysis", help="Classify texts and evaluate the classifier.")

# Lines are classified in batches, as the scheduled job does, so that a large file streams through in
# bounded memory and still gets the vectorised path.
BATCH_SIZE = 512


class InputLine:
    """One line of a JSON Lines input: either a text to classify or the reason it cannot be."""

    def __init__(self, raw: str):
        self.id = None
        self.text: str | None = None
        self.lang: str | None = None
        self.error: str | None = None
        try:
            record = json.loads(raw)
        except ValueError as exc:
            self.error = f"not valid JSON: {exc}"
            return
        if not isinstance(record, dict):
            self.error = "expected a JSON object"
            return
        self.id = record.get("id")
        text, lang = record.get("text"), record.get("lang")
        if text is None:
            self.error = 'missing "text"'
        elif not isinstance(text, str):
            self.error = '"text" must be a string'
        elif lang is not None and not isinstance(lang, str):
            self.error = '"lang" must be a string'
        else:
            self.text, self.lang = text, (lang.strip().lower() or None) if lang else None


def read_lines(stream: IO[str]) -> Iterator[InputLine]:
    """Parse a JSON Lines stream, skipping blank lines."""
    for raw in stream:
        if raw.strip():
            yield InputLine(raw)


def classify_lines(lines: Iterable[InputLine], classifier) -> Iterator[dict]:
    """Classify parsed lines in batches; yield one output object per line, in input order."""
    lines = iter(lines)
    while batch := list(islice(lines, BATCH_SIZE)):
        valid = [line for line in batch if line.error is None]
        labels = iter(classifier.classify_many([(line.text, line.lang) for line in valid]))
        for line in batch:
            if line.error is not None:
                yield {"id": line.id, "error": line.error}
            else:
                yield {"id": line.id, **next(labels)}


def _classifier(shipped: bool):
    """The model in use (as the labelling job uses it), or the shipped one."""
    from webapp.analysis.engine import load_classifier
    from webapp.analysis.releases import current_classifier

    return load_classifier() if shipped else current_classifier()


@analysis_cli.command("classify")
@click.option("--input", "input_file", type=click.File("r", encoding="utf-8"), default="-",
              help="JSON Lines to read, one {\"id\", \"text\", \"lang\"} object per line (default: stdin).")
@click.option("--output", "output_file", type=click.File("w", encoding="utf-8"), default="-",
              help="Where to write one JSON object of labels per input line (default: stdout).")
@click.option("--shipped", is_flag=True, help="Use the shipped model, not the release retrained from staff labels.")
def classify_command(input_file: IO[str], output_file: IO[str], shipped: bool) -> None:
    """Label texts with language, valence, emotions, blockers, complaint and evidence."""
    classifier = _classifier(shipped)
    failed = 0
    try:
        for result in classify_lines(read_lines(input_file), classifier):
            failed += "error" in result
            output_file.write(json.dumps(result, ensure_ascii=False) + "\n")
    except UnicodeDecodeError as exc:
        raise click.UsageError(f"the input is not UTF-8 text: {exc}") from exc
    output_file.flush()
    if failed:
        click.echo(f"{failed} line(s) could not be classified; see their \"error\".", err=True)
        sys.exit(1)


@analysis_cli.command("evaluate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON instead of a table.")
@click.option("--shipped", is_flag=True, help="Measure the shipped model, not the release retrained from staff labels.")
def evaluate_command(files: tuple[str, ...], as_json: bool, shipped: bool) -> None:
    """Print per-label precision, recall and F1, macro-F1 and valence accuracy for labelled JSONL files."""
    from webapp.analysis.evaluation import evaluate_records, format_report

    classifier = _classifier(shipped)
    for path in files:
        try:
            records = list(_read_labelled_records(path))
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="FILES") from exc
        if not records:
            raise click.BadParameter(f"{path} holds no records", param_hint="FILES")
        report = evaluate_records(records, classifier)
        if as_json:
            click.echo(json.dumps({"file": path, **report}, ensure_ascii=False))
        else:
            click.echo(f"== {path} ({len(records)} records)")
            click.echo(format_report(report))


def _read_labelled_records(path: str) -> Iterator[dict]:
    """Records of a file shaped like ../shared/data/*.jsonl; ValueError names the first bad line."""
    try:
        with open(path, encoding="utf-8") as stream:
            for number, raw in enumerate(stream, start=1):
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw)
                except ValueError as exc:
                    raise ValueError(f"{path}, line {number}: not valid JSON ({exc})") from exc
                if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                    raise ValueError(f'{path}, line {number}: expected an object with a "text" string')
                yield record
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not UTF-8 text") from exc


@analysis_cli.command("releases")
def releases_command() -> None:
    """List the models retrained from staff labels, newest first, and which one labels answers now."""
    from webapp.analysis.engine import load_classifier
    from webapp.analysis.releases import release_in_use, releases

    in_use = release_in_use()
    click.echo(f"shipped model: {load_classifier().version}"
               + ("  (in use)" if in_use is None else ""))
    for release in releases():
        marker = "  (in use)" if in_use is not None and release.id == in_use.id else ""
        click.echo(f"{release.id:>4}  {release.created_at:%Y-%m-%d %H:%M}  {release.status.value:<9}  "
                   f"check {release.check_score} (was {release.previous_score})  {release.examples} labels  "
                   f"by {release.created_by}  {release.note}{marker}")


@analysis_cli.command("rollback")
@click.argument("release")
def rollback_command(release: str) -> None:
    """Put back an earlier published release (its number), or `shipped` for the shipped model alone."""
    from webapp.analysis.releases import ReleaseError, rollback
    from webapp.extensions import db

    if release != "shipped" and not release.isdigit():
        click.echo("Error: RELEASE is a release number (see `flask analysis releases`) or `shipped`.", err=True)
        raise click.exceptions.Exit(2)
    try:
        made = rollback(None if release == "shipped" else int(release), actor="cli")
    except ReleaseError as error:
        db.session.rollback()
        click.echo(f"Error: {error}", err=True)
        raise click.exceptions.Exit(2) from None
    db.session.commit()
    click.echo(f"Release {made.id} published: {made.note}. Answers are re-labelled as version {made.version}.")
