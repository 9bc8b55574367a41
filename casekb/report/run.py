"""Running a report: bind its parameters, answer each query block, keep the prose.

A bad query fails the whole report with a ReportError naming the file, the line and the
query; with `keep_going` the error is kept in the block's place and the rest still runs. A
store that cannot be read always stops the report (every block would fail the same way).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from casekb.errors import CaseKBError, NotAQueryError, QueryError, StoreError, underline
from casekb.report.params import (
    bind_prose,
    bind_query,
    parameters_of,
    resolve_values,
    sql_values,
)
from casekb.report.parse import Prose, QueryBlock, Report, ReportError

if TYPE_CHECKING:
    from casekb.execute.results import QueryResult
    from casekb.kb import KB

DEFAULT_CAP = 1000


@dataclass
class Answer:
    """A query block after running: the query as run, and its result or its error."""

    block: QueryBlock
    query: str
    result: QueryResult | None = None
    error: ReportError | None = None


@dataclass(frozen=True)
class SourceInfo:
    """An article a report may cite, for links and the list of sources."""

    key: str
    outlet: str | None
    headline: str | None
    published: str | None
    file: str | None
    url: str | None


@dataclass
class ReportRun:
    """A report with its parameters' values, and each block as prose or an answer."""

    report: Report
    values: dict[str, str]
    parts: list[Prose | Answer] = field(default_factory=list)
    sources: dict[str, SourceInfo] = field(default_factory=dict)
    source_folder: str | None = None  # the curated folder the store was built from

    @property
    def answers(self) -> list[Answer]:
        return [part for part in self.parts if isinstance(part, Answer)]

    @property
    def errors(self) -> list[ReportError]:
        return [answer.error for answer in self.answers if answer.error is not None]

    @property
    def cited(self) -> list[SourceInfo]:
        """The sources cited by the report's answers (queries `with sources`), in the order
        of the store's list of sources."""
        keys: set[str] = set()
        for answer in self.answers:
            result = answer.result
            if result is None:
                continue
            for evidence in result.evidence or []:
                keys.update(item.source for item in evidence)
        return [info for key, info in self.sources.items() if key in keys]


def run_report(report: Report, store: KB, given: Mapping[str, str] | None = None, *,
               keep_going: bool = False, cap: int | None = DEFAULT_CAP,
               timeout: float | None = None) -> ReportRun:
    """Run every query block of `report` on `store` with the parameters `given`.

    Raises ParameterError for missing or unknown parameters, ReportError for the first bad
    query (unless `keep_going`), StoreError when the store cannot be read.
    """
    values = resolve_values(report, given or {})
    parameters = parameters_of(report)
    run = ReportRun(report, values)
    for block in report.blocks:
        if isinstance(block, Prose):
            run.parts.append(Prose(bind_prose(block.text, values), block.line))
            continue
        query = bind_query(block, values, parameters)
        answer = Answer(block, query)
        try:
            answer.result = _answer(block, query, store, cap=cap, timeout=timeout,
                                    params=sql_values(block, values, parameters))
        except StoreError:
            raise
        except CaseKBError as error:
            answer.error = query_failure(report, block, query, error)
            if not keep_going:
                raise answer.error from None
        run.parts.append(answer)
    run.sources, run.source_folder = _sources(store)
    return run


def _answer(block: QueryBlock, query: str, store: KB, *, cap: int | None,
            timeout: float | None, params: dict[str, Any]) -> QueryResult:
    if block.language == "sql":
        from casekb.sql.access import DEFAULT_TIMEOUT

        return store.sql(query, params, cap=cap, timeout=timeout or DEFAULT_TIMEOUT)
    try:
        return store.query(query, cap=cap)
    except NotAQueryError as error:
        raise QueryError("a report block must be a query, not explain or describe",
                         query=query, span=error.span) from None


def query_failure(report: Report, block: QueryBlock, query: str,
                  error: CaseKBError) -> ReportError:
    """A ReportError for a failed block: the file line the error points at (or the block's
    first line), the message, and the query with the words at fault underlined."""
    line, column = block.line, None
    span = getattr(error, "span", None)
    if span is not None:
        line, column = block.line + span.line - 1, span.column
        detail = underline(query, span)
    else:
        detail = "\n".join("  " + text for text in query.splitlines())
    expected = getattr(error, "expected", None)
    if expected:
        detail += "\nexpected " + ", ".join(expected)
    if span is not None and len(query.splitlines()) > 1:
        detail += f"\nin the query from line {block.line}:\n" + \
            "\n".join("  " + text for text in query.splitlines())
    failure = ReportError(error.message, path=report.path, line=line, column=column,
                          query=query, detail=detail, hints=error.hints)
    failure.exit_code = error.exit_code  # an unknown name keeps its own status
    return failure


def _sources(store: KB) -> tuple[dict[str, SourceInfo], str | None]:
    """Every source of the store (for links), and the curated folder it was built from."""
    result = store.query("sources show id, outlet, headline, published, file, url", cap=None)
    sources = {}
    for key, outlet, headline, published, file, url in result.rows:
        sources[key] = SourceInfo(key, outlet, headline,
                                  str(published) if published else None, file, url)
    return sources, store.meta.get("source_folder")
