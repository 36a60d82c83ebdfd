"""The test PostgreSQL server (scripts/postgres, fixtures in conftest.py) is there and usable:
it answers, its databases have PostGIS, each test gets an empty one that is gone after."""

from __future__ import annotations

from tests.conftest import fresh_database, pg_sql


def test_the_server_answers_with_postgis(pg_database):
    assert pg_sql(pg_database, "SELECT current_setting('server_version_num')::int >= 150000") == "t"
    # PostGIS does spatial work: a point lies in a square.
    inside = "SELECT ST_Contains(ST_MakeEnvelope(0, 0, 2, 2, 28992), ST_SetSRID(ST_Point(1, 1), 28992))"
    assert pg_sql(pg_database, inside) == "t"


def test_each_test_database_is_empty_and_dropped_after(pg_admin_url):
    with fresh_database(pg_admin_url) as url:
        name = url.rsplit("/", 1)[1]
        user_tables = "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        assert pg_sql(url, user_tables) == "1"  # PostGIS's spatial_ref_sys only
        pg_sql(url, "CREATE TABLE written (id int)")
        assert name in pg_sql(pg_admin_url, "SELECT datname FROM pg_database").split()
    assert name not in pg_sql(pg_admin_url, "SELECT datname FROM pg_database").split()


def test_the_server_is_reachable_on_loopback_only(pg_admin_url):
    assert pg_sql(pg_admin_url, "SHOW listen_addresses") in {"127.0.0.1", "localhost"}
