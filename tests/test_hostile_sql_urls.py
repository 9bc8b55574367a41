"""Malformed database URLs (issue 12): `postgresql+psycopg://postgres@[::1:5432/test` gave a
ValueError traceback from query, build, info and sql; each is now one message, exit 3."""

from __future__ import annotations

import pytest

from casekb.errors import StoreError


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://postgres@[::1:5432/test",
    "postgresql+psycopg://postgres:s3cret@db.example:port/test",
    "sqlite://[::1:5/x",
])
@pytest.mark.parametrize("command", [["info"], ["query", "charges"], ["build"],
                                     ["sql", "SELECT 1"]])
def test_a_malformed_url_is_a_message(run_cli, seeds_dir, url, command):
    argv = [*command, str(seeds_dir)] if command == ["build"] else command
    result = run_cli(*argv, "--db", url)
    assert result.code == 3, result.err
    assert result.err.startswith("cannot read the database URL ")
    assert "Traceback" not in result.err and "s3cret" not in result.err


def test_a_malformed_url_in_the_library_is_a_store_error():
    from casekb.store.location import locate

    with pytest.raises(StoreError, match=r"IPv6 address goes in brackets: \[::1\]:5432"):
        locate("postgresql+psycopg://postgres@[::1:5432/test")
