"""Running plans on a store and reading their rows: `run.answer` runs a plan, `decode` turns
rows into typed values, `results` holds what comes back."""

from casekb.execute.results import Evidence, Explanation, QueryResult

__all__ = ["Evidence", "Explanation", "QueryResult"]
