"""Evidence spans marked up in an answer's text."""
import pytest

from webapp import create_app
from webapp.analysis.evidence import evidence_spans, highlight_evidence


@pytest.fixture(scope="module")
def plain_app_context(tmp_path_factory):
    """An app context without a database: highlighting reads no tables."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path_factory.mktemp("db") / "unused.db")})
    with app.test_request_context():
        yield


def test_marks_each_evidence_span_with_its_label_names(plain_app_context):
    text = "Fast delivery but the app keeps crashing"
    html = highlight_evidence(text, [
        {"label": "positive", "start": 0, "end": 13, "text": "Fast delivery"},
        {"label": "website_usability", "start": 22, "end": 40, "text": "app keeps crashing"},
    ])
    assert html == (
        '<mark class="evidence evidence-positive" title="positive" data-labels="positive">Fast delivery</mark>'
        ' but the '
        '<mark class="evidence evidence-blocker" title="Website usability" data-labels="website_usability">'
        "app keeps crashing</mark>"
    )


def test_escapes_the_customers_text(plain_app_context):
    text = "<script>alert(1)</script> awful"
    html = str(highlight_evidence(text, [{"label": "anger", "start": 26, "end": 31, "text": "awful"}]))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert html.endswith('data-labels="anger">awful</mark>')


def test_overlapping_evidence_is_cut_into_pieces_carrying_every_label():
    text = "checkout failed again, so annoying"
    spans = evidence_spans(text, [
        {"label": "checkout_friction", "start": 0, "end": 15},
        {"label": "frustration", "start": 9, "end": 34},
    ])
    assert [(s.start, s.end, s.labels) for s in spans] == [
        (0, 9, ("checkout_friction",)),
        (9, 15, ("checkout_friction", "frustration")),
        (15, 34, ("frustration",)),
    ]


@pytest.mark.parametrize("bad", [
    {"label": "joy", "start": 5, "end": 99},
    {"label": "joy", "start": -1, "end": 2},
    {"label": "joy", "start": 3, "end": 3},
    {"label": "joy", "start": "0", "end": "2"},
    {"label": "joy"},
])
def test_evidence_outside_the_text_is_ignored(plain_app_context, bad):
    assert str(highlight_evidence("short", [bad])) == "short"


def test_no_text_and_no_evidence_give_empty_markup(plain_app_context):
    assert str(highlight_evidence(None, None)) == ""
