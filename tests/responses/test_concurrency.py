"""A double click or a network retry racing the first submit still stores exactly one response."""
import threading

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.invitations.models import Invitation
from webapp.responses.models import Answer, Response

CONCURRENT_POSTS = 8


def post_at_once(app, url: str, forms: list[dict]) -> list:
    """POST each form from its own client and thread, all released together; the responses, or errors."""
    barrier = threading.Barrier(len(forms))
    results: list = [None] * len(forms)

    def post(index: int) -> None:
        client = app.test_client()
        barrier.wait()
        try:
            results[index] = client.post(url, data=forms[index])
        except Exception as error:  # a crash must fail the test, not vanish with the thread
            results[index] = error

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_simultaneous_posts_of_one_personal_link_store_one_response(app, personal_link):
    link = personal_link(language="pl")
    # Each client rendered its own form, so each carries its own submission key.
    results = post_at_once(app, link.url, [link.valid_answers() for _ in range(CONCURRENT_POSTS)])
    statuses = [getattr(result, "status_code", result) for result in results]
    assert statuses == [302] * CONCURRENT_POSTS
    assert all(f"{link.url}/thanks" in result.headers["Location"] for result in results)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 7
        invitation = db.session.scalar(select(Invitation).where(Invitation.token == link.token))
        assert invitation.answered_at is not None


def test_simultaneous_retries_of_one_open_link_form_store_one_response(app, open_link):
    link = open_link()
    form = link.valid_answers()
    results = post_at_once(app, link.url, [form] * CONCURRENT_POSTS)
    assert [getattr(result, "status_code", result) for result in results] == [302] * CONCURRENT_POSTS
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1
