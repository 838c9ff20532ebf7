"""The map page a marketer opens: stage figures, filters in the URL, charts, CSV and tables, quotes, targets.

Answers are labelled through the real labelling service with the scripted classifier of test_aggregates
("v=-0.6 e=anger b=checkout_friction c=1" is read off the text) and folded into the map cells.
"""
import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from tests.builders import build_map, build_response, stage_named
from tests.maps.test_aggregates import label_all, service_text_question, shop_survey
from webapp.auth.models import Role
from webapp.extensions import db
from webapp.maps.aggregates import fold_pending
from webapp.maps.insights import add_months
from webapp.maps.models import JourneyMap, MapKind
from webapp.maps.page import chart_cache
from webapp.maps.services import create_map
from webapp.surveys.models import QuestionKind, Survey


def recently(minutes: int = 0) -> datetime:
    return datetime.now(UTC) - timedelta(days=3, minutes=minutes)


def answer(survey, text: str, persona=None, minutes: int = 0, language: str = "en", service_text=None, **others):
    answers = {QuestionKind.TEXT: text, **{QuestionKind(kind.lower()): value for kind, value in others.items()}}
    if service_text:
        answers[service_text_question(survey)] = service_text
    return build_response(survey, answers, language=language, persona=persona, submitted_at=recently(minutes))


def fold_all() -> None:
    db.session.commit()
    label_all()
    fold_pending()
    db.session.commit()


@pytest.fixture
def shop(app):
    """A map whose first-time buyers are unhappy at checkout and whose regulars are glad; ids by name."""
    with app.app_context():
        journey_map = build_map()
        survey = shop_survey(journey_map)  # with a free-text question beside the emotion picker
        first, regular = journey_map.personas
        for n in range(6):
            # First-time buyers pick the emotion the machine finds; regulars pick another one.
            answer(survey, f"v=-0.6 e=anger,frustration b=checkout_friction c=1 n={n}", persona=first, minutes=n,
                   CSAT=2, NPS=3, CES=2, EMOTION=["anger"], service_text=f"v=-0.2 e=anger n={n}")
            answer(survey, f"v=0.8 e=joy b=budget_constraint n={n}", persona=regular, minutes=n,
                   CSAT=5, NPS=10, CES=7, EMOTION=["joy"], service_text=f"v=0.4 e=trust n={n}")
        fold_all()
        ids = {"map": journey_map.id, "first": first.id, "regular": regular.id, "survey": survey.id,
               "purchase": stage_named(journey_map, "Purchase").id,
               "service": stage_named(journey_map, "Post-purchase service").id}
    return ids


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def stage_column(html: str, stage_id: int) -> str:
    start = html.index(f'id="stage-{stage_id}"')
    return html[start:html.index("</li>\n", html.index('class="stage-complaints', start))]


def test_each_stage_shows_its_valence_answers_emotions_blockers_and_complaints(client, sign_in, shop):
    sign_in(Role.MARKETER)
    html = page(client, f"/maps/{shop['map']}")
    purchase = stage_column(html, shop["purchase"])
    assert "+0.10" in purchase and "12 answers" in purchase  # (6 × −0.6 + 6 × 0.8) / 12
    assert "Anger" in purchase and "Joy" in purchase
    assert "Checkout friction" in purchase and "6 · 50%" in purchase
    assert "Budget constraint" in purchase
    assert "6 complaints" in purchase
    assert html.count("<svg") == 3 and 'id="chart-curve-' in html


def test_switching_persona_changes_the_curve_and_every_link_keeps_the_filter(client, sign_in, shop):
    sign_in(Role.MARKETER)
    everyone = page(client, f"/maps/{shop['map']}")
    firsts = page(client, f"/maps/{shop['map']}?persona={shop['first']}")
    assert "−0.60" in stage_column(firsts, shop["purchase"])
    assert "Budget constraint" not in stage_column(firsts, shop["purchase"])
    curve = re.search(r'data-chart="curve">.*?</figure>', firsts, re.S).group(0)
    assert curve != re.search(r'data-chart="curve">.*?</figure>', everyone, re.S).group(0)
    assert f'/maps/{shop["map"]}/charts/poster.pdf?paper=a4&amp;persona={shop["first"]}' in firsts
    assert f'/maps/{shop["map"]}/figures.csv?persona={shop["first"]}' in firsts
    assert f'<option value="{shop["first"]}" selected>' in firsts


def test_ratings_per_stage_and_picked_emotions_beside_the_machine_with_their_agreement(client, sign_in, shop):
    sign_in(Role.MARKETER)
    html = page(client, f"/maps/{shop['map']}")
    purchase = stage_column(html, shop["purchase"])
    assert "CSAT" in purchase and "3.5" in purchase
    service = html[html.index(f'id="stage-{shop["service"]}"'):]
    service = service[:service.index("</li>\n<li") if "</li>\n<li" in service else len(service)]
    assert "NPS" in service and "Effort (CES)" in service and "4.5" in service  # (2 + 7) / 2
    assert "Customers picked" in service
    assert "Agrees with the machine in 50% of 12 answers" in service


@pytest.mark.parametrize(("query", "message"), [
    ("persona=999999", "This map has no such persona."),
    ("persona=first", "This map has no such persona."),
    ("from=last-year", "Please give the from date as YYYY-MM or YYYY-MM-DD."),
    ("from=2026-05&to=2026-01", "The period must end after it starts."),
    ("language=de", "Answers come in en, pl, ro only."),
    ("compare=competitor", "Compare with the target or the previous period."),
])
def test_a_filter_that_cannot_apply_gives_a_clear_400_page_naming_it(client, sign_in, shop, query, message):
    sign_in(Role.MARKETER)
    html = page(client, f"/maps/{shop['map']}?{query}", status=400)
    assert message in html and "This view cannot be shown" in html
    assert 'aria-invalid="true"' in html
    assert "<svg" not in html


def test_a_map_without_answers_shows_its_stages_and_says_what_will_fill_them(app, client, sign_in):
    with app.app_context():
        journey_map = build_map("Empty shop")
        db.session.commit()
        map_id = journey_map.id
    sign_in(Role.MARKETER)
    html = page(client, f"/maps/{map_id}")
    assert "No answers in this view yet" in html and "0 labelled answers" in html
    assert html.count("No labelled answers") == 5
    assert "<svg" not in html


def test_filters_that_match_nothing_offer_to_clear_them(client, sign_in, shop):
    sign_in(Role.MARKETER)
    html = page(client, f"/maps/{shop['map']}?language=ro")
    assert "No labelled answers match these filters." in html and "Clear the filters" in html


def test_compared_with_the_previous_period_the_gaps_are_called_out(app, client, sign_in, shop):
    with app.app_context():
        survey = db.session.get(Survey, shop["survey"])
        for n in range(6):
            build_response(survey, {QuestionKind.TEXT: f"v=0.9 e=joy n=old{n}"},
                           submitted_at=datetime.now(UTC) - timedelta(days=400, minutes=n))
        fold_all()
    sign_in(Role.MARKETER)
    html = page(client, f"/maps/{shop['map']}?compare=previous")
    assert "Largest gaps" in html
    assert re.search(r"<strong>Purchase:</strong> valence \+0\.10 vs \+0\.90 the period before", html)
    assert "Previous period" in html


def test_compared_with_the_ideal_map_each_stage_shows_its_target_and_gap(app, client, sign_in, shop):
    with app.app_context():
        ideal = create_map("Shop, ideal", "", MapKind.IDEAL, ["Anyone"], improves_on_id=shop["map"])
        ideal_id = ideal.id
        db.session.commit()
    sign_in(Role.MARKETER)
    ideal_purchase = next(s for s in db_stages(app, ideal_id) if s[1] == "Purchase")[0]
    response = client.post(f"/maps/{ideal_id}/stages/{ideal_purchase}/targets",
                           data={f"targets-{ideal_purchase}-target_valence": "0.5",
                                 f"targets-{ideal_purchase}-target_emotions": ["joy", "trust"]})
    assert response.status_code == 302
    html = page(client, f"/maps/{shop['map']}?compare=target")
    purchase = stage_column(html, shop["purchase"])
    assert "Target <strong>+0.50</strong>" in purchase and "−0.40" in purchase  # gap +0.10 − 0.50
    assert "Should feel: Joy, Trust" in purchase
    assert "<strong>Purchase:</strong> valence +0.10 vs target +0.50" in html


def db_stages(app, map_id: int) -> list[tuple[int, str]]:
    with app.app_context():
        return [(stage.id, stage.name) for stage in db.session.get(JourneyMap, map_id).stages]


def test_the_ideal_map_page_sets_targets_and_refuses_impossible_ones(app, client, sign_in, shop):
    with app.app_context():
        ideal_id = create_map("Shop, ideal", "", MapKind.IDEAL, ["Anyone"], improves_on_id=shop["map"]).id
        db.session.commit()
    stage_id = db_stages(app, ideal_id)[0][0]
    sign_in(Role.MARKETER)
    html = page(client, f"/maps/{ideal_id}")
    assert html.count('class="target-form"') == 5 and "See it against these targets" in html
    refused = client.post(f"/maps/{ideal_id}/stages/{stage_id}/targets",
                          data={f"targets-{stage_id}-target_valence": "2"})
    assert refused.status_code == 422
    assert "Number must be between -1 and 1." in refused.get_data(as_text=True)
    too_many = client.post(f"/maps/{ideal_id}/stages/{stage_id}/targets", data={
        f"targets-{stage_id}-target_emotions": ["joy", "trust", "relief", "pride", "confidence", "surprise"]})
    assert too_many.status_code == 422 and "at most 5" in too_many.get_data(as_text=True)
    saved = client.post(f"/maps/{ideal_id}/stages/{stage_id}/targets",
                        data={f"targets-{stage_id}-target_valence": "-0.25"}, follow_redirects=True)
    assert "Targets of Awareness saved." in saved.get_data(as_text=True)
    assert 'value="-0.25"' in saved.get_data(as_text=True)


def test_an_as_is_map_has_no_targets_to_set(client, sign_in, shop):
    sign_in(Role.MARKETER)
    response = client.post(f"/maps/{shop['map']}/stages/{shop['purchase']}/targets",
                           data={f"targets-{shop['purchase']}-target_valence": "0.3"})
    assert response.status_code == 404
    assert 'class="target-form"' not in page(client, f"/maps/{shop['map']}")


# --- Downloads ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "mimetype", "magic"), [
    ("charts/curve.svg", "image/svg+xml", b"<?xml"),
    ("charts/mix.png", "image/png", b"\x89PNG"),
    ("charts/blockers.pdf", "application/pdf", b"%PDF"),
    ("charts/poster.pdf?paper=a3", "application/pdf", b"%PDF"),
    ("charts/poster.png", "image/png", b"\x89PNG"),
])
def test_charts_and_the_poster_download_as_svg_png_and_pdf(client, sign_in, shop, path, mimetype, magic):
    sign_in(Role.SUPPORT)
    response = client.get(f"/maps/{shop['map']}/{path}")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.data.startswith(magic)
    if not path.endswith(".svg"):
        assert response.headers["Content-Disposition"].startswith('attachment; filename="online-shop-')


def test_unknown_charts_and_papers_are_refused_clearly(client, sign_in, shop):
    sign_in(Role.MARKETER)
    assert client.get(f"/maps/{shop['map']}/charts/pie.png").status_code == 404
    assert client.get(f"/maps/{shop['map']}/charts/curve.gif").status_code == 404
    letter = client.get(f"/maps/{shop['map']}/charts/poster.pdf?paper=letter")
    assert letter.status_code == 400 and "Posters come in A4 or A3." in letter.get_data(as_text=True)
    bad_filter = client.get(f"/maps/{shop['map']}/figures.csv?survey=x")
    assert bad_filter.status_code == 400 and "No survey of this map has that id." in bad_filter.get_data(as_text=True)


def test_a_chart_is_drawn_once_and_again_only_when_its_numbers_change(app, client, sign_in, shop):
    sign_in(Role.MARKETER)
    url = f"/maps/{shop['map']}/charts/curve.png?persona={shop['first']}"
    cache = chart_cache(app)
    first = client.get(url)
    misses = cache.misses
    again = client.get(url)
    assert again.data == first.data and cache.misses == misses
    assert client.get(url, headers={"If-None-Match": again.headers["ETag"]}).status_code == 304
    with app.app_context():
        persona = db.session.get(JourneyMap, shop["map"]).personas[0]
        answer(db.session.get(Survey, shop["survey"]), "v=0.9 e=joy n=new", persona=persona)
        fold_all()
    changed = client.get(url)
    assert cache.misses == misses + 1 and changed.data != first.data


def test_the_csv_carries_the_numbers_of_the_page(client, sign_in, shop):
    sign_in(Role.MARKETER)
    response = client.get(f"/maps/{shop['map']}/figures.csv?persona={shop['first']}")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    purchase = [row for row in rows if row["stage"] == "Purchase"]
    valence = next(row for row in purchase if row["measure"] == "valence")
    assert (valence["answers"], float(valence["value"]), valence["uncertain"]) == ("6", -0.6, "no")
    blocker = next(row for row in purchase if row["measure"] == "company_blocker")
    assert (blocker["item"], blocker["item_name"], blocker["answers"], float(blocker["value"])) == (
        "checkout_friction", "Checkout friction", "6", 1.0)
    assert {row["measure"] for row in rows} >= {"valence", "emotion", "complaints", "csat", "nps", "ces",
                                                "picked_emotion", "picked_vs_classified_agreement"}


def test_the_page_has_accessible_tables_of_the_same_numbers(client, sign_in, shop):
    sign_in(Role.MARKETER)
    html = page(client, f"/maps/{shop['map']}?persona={shop['regular']}")
    tables = html[html.index('id="numbers"'):]
    assert tables.count("<caption>") == 4 and '<th scope="row">Purchase</th>' in tables
    assert re.search(r'<th scope="row">Purchase</th>\s*<td class="numeric">6</td>\s*<td class="numeric">\+0\.80', tables)
    assert re.search(r'<th scope="row">Budget constraint</th>\s*<td>Customer</td>', tables)


# --- Quotes -------------------------------------------------------------------------------------------------

def test_a_blocker_opens_the_real_answers_behind_it_with_evidence_marked(client, sign_in, shop):
    sign_in(Role.SUPPORT)
    html = page(client, f"/maps/{shop['map']}")
    link = re.search(r'<a href="([^"]+/blockers/checkout_friction[^"]*)" data-quotes>', html).group(1)
    quotes = page(client, link.replace("&amp;", "&"))
    assert "What customers said: Checkout friction at Purchase" in quotes
    assert quotes.count("<blockquote") == 6
    assert '<mark class="evidence evidence-' in quotes
    assert "First-time buyer" in quotes and "Regular" not in quotes.split("quote-list")[1]


def test_quotes_come_as_a_bare_fragment_for_the_dialog_and_page_through(client, sign_in, shop):
    sign_in(Role.MARKETER)
    url = f"/maps/{shop['map']}/stages/{shop['purchase']}/blockers/checkout_friction"
    fragment = page(client, f"{url}?fragment=1")
    assert "<html" not in fragment and "data-quotes-fragment" in fragment
    first = page(client, f"{url}?page=1")
    assert first.count("<blockquote") == 6 and "Page 1 of" not in first  # one page of ten
    assert page(client, f"{url}?page=2").count("<blockquote") == 0
    assert "Pages are counted from 1." in page(client, f"{url}?page=0", status=400)


def test_quotes_of_an_unknown_blocker_or_another_maps_stage_are_not_found(app, client, sign_in, shop):
    with app.app_context():
        other_stage = build_map("Other").stages[0].id
        db.session.commit()
    sign_in(Role.MARKETER)
    assert client.get(f"/maps/{shop['map']}/stages/{shop['purchase']}/blockers/rude_staff").status_code == 404
    assert client.get(f"/maps/{shop['map']}/stages/{other_stage}/blockers/timing").status_code == 404


def test_support_staff_read_the_map_but_neither_share_it_nor_set_targets(client, sign_in, shop):
    sign_in(Role.SUPPORT)
    html = page(client, f"/maps/{shop['map']}")
    assert "Share read-only" not in html and "Edit map" not in html
    assert client.post(f"/maps/{shop['map']}/share").status_code == 403


@pytest.mark.parametrize(("language", "words"), [("pl", ["Krzywa emocji", "Etap po etapie", "Główne bariery"]),
                                                  ("ro", ["Curba emoțiilor", "Etapă cu etapă", "Cifrele"])])
def test_the_map_page_speaks_polish_and_romanian(client, sign_in, shop, language, words):
    sign_in(Role.MARKETER)
    html = client.get(f"/maps/{shop['map']}", headers={"Accept-Language": language}).get_data(as_text=True)
    for word in words:
        assert word in html


def test_a_period_reads_as_months_in_the_form_and_in_every_link(client, sign_in, shop):
    sign_in(Role.MARKETER)
    this_month = recently().date().replace(day=1)
    start, end = add_months(this_month, -2), add_months(this_month, 1)  # `end`, a first of the month, is excluded
    html = page(client, f"/maps/{shop['map']}?from={start}&to={end}")
    assert f'name="from" value="{start:%Y-%m}"' in html and f'name="to" value="{this_month:%Y-%m}"' in html
    assert f'/maps/{shop["map"]}/figures.csv?from={start:%Y-%m}&amp;to={this_month:%Y-%m}' in html
    assert "12 answers" in stage_column(html, shop["purchase"])
