"""The migrations build exactly the schema the models describe."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from models.db import Database, SchemaError, include_object, make_engine
from models.schema import Base


def test_migrated_database_matches_the_models(db_url):
    database = Database(db_url)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": include_object})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        database.dispose()


def test_opening_twice_migrates_once(db_url):
    Database(db_url).dispose()
    database = Database(db_url)
    with database.engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version"))
        assert len(list(versions)) == 1
    database.dispose()


def test_unversioned_development_database_is_refused(sqlite_url):
    engine = make_engine(sqlite_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    with pytest.raises(SchemaError, match="without migrations"):
        Database(sqlite_url)
