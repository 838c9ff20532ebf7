"""The fold job end to end: `flask jobs run --once` labels new answers and folds them into the map figures."""
from tests.builders import build_response, build_survey, stage_named
from webapp.extensions import db
from webapp.maps.insights import map_figures
from webapp.maps.models import JourneyMap
from webapp.surveys.models import QuestionKind

TEXTS = (
    "The checkout kept failing and the payment page froze twice. Really frustrating.",
    "Kurier się spóźnił dwa dni i nikt nie odbierał telefonu. Nie polecam.",
    "Livrare rapidă și produsul este exact ca în descriere. Mulțumesc!",
)


def test_jobs_run_once_labels_and_folds_so_the_map_shows_the_answers(app, runner):
    with app.app_context():
        survey = build_survey()
        for text, language in zip(TEXTS, ("en", "pl", "ro")):
            build_response(survey, {QuestionKind.TEXT: text, QuestionKind.CSAT: 2, QuestionKind.NPS: 9},
                           language=language)
        db.session.commit()
        map_id = survey.map_id
    result = runner.invoke(args=["jobs", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "fold-map-figures: folded 6 answers and 3 label changes (3 moved counts) into 1 maps in 2 batches" \
        in result.output.splitlines()
    with app.app_context():
        journey_map = db.session.get(JourneyMap, map_id)
        figures = map_figures(journey_map)
        purchase = next(stage for stage in figures.stages if stage.stage_id == stage_named(journey_map, "Purchase").id)
        assert purchase.valence.count == 3 and purchase.valence.uncertain
        assert [(rating.kind, rating.count, rating.value) for rating in purchase.ratings] == [("csat", 3, 2.0)]
        assert purchase.emotion_mix  # the real classifier found emotions in them
    again = runner.invoke(args=["jobs", "run", "--once"])
    assert "fold-map-figures: nothing to do" in again.output.splitlines()


def test_jobs_list_shows_the_fold_job(app, runner):
    result = runner.invoke(args=["jobs", "list"])
    assert "fold-map-figures  every 5 s  (MAP_FOLD_INTERVAL_SECONDS)" in result.output.splitlines()
