"""The schema is built by the migrations alone: upgrade, downgrade and the models agree on both databases."""
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from tests.conftest import BACKENDS, empty_database
from webapp import create_app
from webapp.extensions import db


@pytest.fixture(params=BACKENDS)
def fresh_app(request, tmp_path):
    with empty_database(request.param, tmp_path) as url:
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()


def table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_builds_every_model_table(fresh_app):
    upgrade()
    assert table_names() == set(db.metadata.tables)


def test_models_and_migrations_agree(fresh_app):
    upgrade()
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_downgrade_removes_everything_and_upgrade_works_again(fresh_app):
    upgrade()
    downgrade(revision="base")
    assert table_names() == set()
    upgrade()
    assert table_names() == set(db.metadata.tables)
