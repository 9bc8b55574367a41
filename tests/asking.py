"""Helpers for tests that ask questions: checking a statement without a store."""

from __future__ import annotations

from casekb.lang import ast
from casekb.lang.parser import parse
from casekb.lang.resolve import resolve, resolve_entity


def check(text: str):
    """Parse and resolve a statement as every answer begins, without a store: the resolved
    query (or the syntax tree of `describe`), or the QueryError a bad statement gives."""
    statement = parse(text)
    if isinstance(statement, ast.Explain):
        statement = statement.query
    if isinstance(statement, ast.Describe):
        if statement.entity is not None:
            resolve_entity(statement.entity, text)
        return statement
    return resolve(statement, text)
