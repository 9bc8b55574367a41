"""Writing a store's rows as a build streams the curated folder: records in, tuples out.

`StoreWriter.write(records)` takes the valid records of one curated file and inserts their
rows, evidence and dispute claims through the database driver: tuples, not parameter dicts,
and no ORM objects (`cursor.executemany` on SQLite, COPY on PostgreSQL). The INSERT
statements are compiled by SQLAlchemy from the table metadata, with bound parameters. Each
kind's row maker is generated once, as one small function, from the record spec and the
table's columns: a row costs one call, not one per column.

Row ids come from the first pass over the folder (`FolderIndex`): a record's row and every
reference in it are known whatever was written before. Evidence rows are numbered kind by
kind, each kind after the evidence of the kinds before it, as the store always numbered
them; since files mix kinds, SQLite gets them through one temporary table per kind, each
filled in id order, copied into `evidence` when the folder is done. Filling 14 stretches of
the table at once made SQLite split pages in the middle of its tree: evidence went in 2.4
times slower than in id order (10k cases: 2.9 s against 1.2 s); staged, 0.9 s and a 0.6 s copy.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from operator import attrgetter
from typing import Any

from casekb.curation import Progress
from casekb.curation import spec as S
from casekb.dates import Precision
from casekb.schema.declaration import table_for

# Rows made before they are inserted (a table's waiting rows go in one executemany); bounds
# the memory they take whatever the size of a file.
BATCH_ROWS = 5000


# -- targets -----------------------------------------------------------------------------------

class SQLiteTarget:
    """Rows into a new SQLite store through `connection` (SQLAlchemy), in its transaction.

    Dates are stored as ISO text, as SQLAlchemy's Date type stores them in SQLite.
    """

    dates_as_text = True

    def __init__(self, connection: Any, metadata: Any):
        self.connection = connection
        self.metadata = metadata
        self.cursor = connection.connection.driver_connection.cursor()
        self._statements: dict[str, str] = {}
        self._staged: dict[str, Any] = {}  # kind -> its temporary evidence table

    def create_tables(self) -> None:
        self.metadata.create_all(self.connection, checkfirst=False)  # a new, empty database

    def insert(self, table: Any, columns: list, rows: list[tuple]) -> None:
        statement = self._statements.get(table.name)
        if statement is None:
            statement = self._statements[table.name] = insert_sql(table, columns,
                                                                  self.connection.dialect)
        self.cursor.executemany(statement, rows)

    def insert_evidence(self, kind: str, columns: list, rows: list[tuple]) -> None:
        staged = self._staged.get(kind)
        if staged is None:
            staged = self._staged[kind] = self._staging_table(kind, columns)
        self.insert(staged, list(staged.columns), rows)

    def _staging_table(self, kind: str, columns: list) -> Any:
        from sqlalchemy import Column, MetaData, Table
        from sqlalchemy.schema import CreateTable

        # A plain rowid table (no key, no index) in SQLite's temporary database: rows are
        # appended in the order they come, which is id order within a kind.
        staged = Table(f"staged_evidence_{S.KIND_ORDER.index(kind)}", MetaData(),
                       *[Column(column.name, column.type) for column in columns],
                       prefixes=["TEMPORARY"])
        self.connection.execute(CreateTable(staged))
        return staged

    def finish(self) -> None:
        """Copy the staged evidence into `evidence`, kind by kind: appended in id order."""
        from sqlalchemy import insert, literal_column, select
        from sqlalchemy.schema import DropTable

        evidence = self.metadata.tables["evidence"]
        for kind in S.KIND_ORDER:
            staged = self._staged.pop(kind, None)
            if staged is None:
                continue
            self.connection.execute(insert(evidence).from_select(
                [column.name for column in staged.columns],
                select(*staged.columns).order_by(literal_column("rowid"))))
            self.connection.execute(DropTable(staged))


class ServerTarget:
    """Rows into a new PostgreSQL schema through `connection`, with COPY; the foreign keys
    are added when every row is in (a row may refer to one of a later file)."""

    dates_as_text = False

    def __init__(self, connection: Any, metadata: Any):
        self.connection = connection
        self.metadata = metadata

    def create_tables(self) -> None:
        from casekb.build import postgres as server_build

        server_build.create_tables_keys_later(self.connection, self.metadata)

    def insert(self, table: Any, columns: list, rows: list[tuple]) -> None:
        from casekb.build import postgres as server_build

        server_build.copy_rows(self.connection, table, columns, rows)

    def insert_evidence(self, kind: str, columns: list, rows: list[tuple]) -> None:
        self.insert(self.metadata.tables["evidence"], columns, rows)

    def finish(self) -> None:
        from casekb.build import postgres as server_build

        server_build.add_foreign_keys(self.connection, self.metadata)


def insert_sql(table: Any, columns: list, dialect: Any) -> str:
    """INSERT of `columns` into `table` with positional parameters, compiled by SQLAlchemy."""
    from sqlalchemy import insert

    compiled = insert(table).compile(dialect=dialect, column_keys=[c.key for c in columns])
    # The tuples hold the columns in this order: the statement must bind them in it.
    if list(compiled.positiontup or ()) != [c.key for c in columns]:
        raise AssertionError(f"unexpected parameter order in {compiled}")
    return str(compiled)


# -- the writer --------------------------------------------------------------------------------

class StoreWriter:
    """Turns each file's valid records into rows and writes them, table by table.

    A table's rows are inserted when a file is done (or when BATCH_ROWS wait), so memory
    holds one file's rows at most; `counts` says how many rows each table received.
    """

    def __init__(self, validator: Any, target: SQLiteTarget | ServerTarget,
                 progress: Progress | None = None):
        index = validator.index
        tables = target.metadata.tables
        self.index = index
        self.target = target
        self.progress = progress
        self.plans: dict[str, RowPlan] = {}
        for kind in S.KIND_ORDER:
            if kind == "alias":
                for owner in ("case", "person"):
                    self.plans[f"alias:{owner}"] = RowPlan(
                        S.BY_KIND[kind], tables[table_for(kind, owner)], index, validator.article,
                        dates_as_text=target.dates_as_text)
            else:
                self.plans[kind] = RowPlan(S.BY_KIND[kind], tables[S.BY_KIND[kind].table],
                                           index, validator.article,
                                           dates_as_text=target.dates_as_text)
        # Evidence and claim rows are made here, in these columns' order.
        self.evidence_columns = _columns(tables["evidence"], ("id", "source_id", "fact_table",
                                                              "fact_id", "quote", "note"))
        self.claim_columns = _columns(tables["dispute_claims"],
                                      ("id", "dispute_id", "fact_table", "fact_id"))
        self.inference_columns = _columns(tables["inferences"], ("id", "fact_table", "fact_id",
                                                                 "field", "basis", "derived"))
        # The several-valued references (a statement's `about`): kind -> [(field, link table)].
        self.links = {spec.kind: [(fs, tables[fs.link]) for fs in spec.fields if fs.link]
                      for spec in S.KINDS}
        self.next_row: dict[str, int] = {}  # of the tables numbered here
        # Tables in reference order: a file's rows are inserted parents first.
        self.waiting: dict[str, list[tuple]] = {plan.table.name: [] for plan in
                                                 self.plans.values()}
        self.waiting["dispute_claims"] = []
        self.waiting["inferences"] = []
        for kind_links in self.links.values():
            for _, link in kind_links:
                self.waiting[link.name] = []
        self.evidence_waiting: dict[str, list[tuple]] = {kind: [] for kind in S.KIND_ORDER}
        self.tables = {name: tables[name] for name in (*self.waiting, "evidence")}
        self.columns = {plan.table.name: plan.columns for plan in self.plans.values()}
        self.columns["dispute_claims"] = self.claim_columns
        self.columns["inferences"] = self.inference_columns
        for kind_links in self.links.values():
            for _, link in kind_links:
                self.columns[link.name] = list(link.columns)
        self.counts: dict[str, int] = dict.fromkeys(self.tables, 0)
        self.totals = {S.BY_KIND[kind].table: index.count(kind) for kind in S.KIND_ORDER
                       if kind != "alias"}
        self.totals.update({table_for("alias", owner): n
                            for owner, n in index.alias_totals.items()})
        self.totals["dispute_claims"] = index.claims_total
        self.totals["evidence"] = sum(index.evidence_totals.values())
        self.next_evidence: dict[str, int] = {}
        first = 1
        for kind in S.KIND_ORDER:
            self.next_evidence[kind] = first
            first += index.evidence_totals[kind]
        self.made = 0  # rows made and not inserted yet

    def write(self, records: list) -> None:
        """Write one file's valid records (in kind order), their evidence and claims; stop at
        a source whose article could not be read again (the validator has said so)."""
        for kind, run in groupby(records, key=attrgetter("kind")):
            run = list(run)
            number = first = self.next_evidence[kind]
            evidence_rows = self.evidence_waiting[kind]
            if kind == "alias":
                # Two tables, but one numbering of their evidence, in reading order.
                for record in run:
                    plan = self.plans["alias:person" if record.values.get("person")
                                      else "alias:case"]
                    number = plan.add((record,), self.waiting[plan.table.name],
                                      evidence_rows, number)
            else:
                plan = self.plans[kind]
                number = plan.add(run, self.waiting[plan.table.name], evidence_rows, number)
                if number < 0:
                    return
            self.next_evidence[kind] = number
            self.made += len(run) + number - first
            if kind == "dispute":
                self.made += self._claims(run)
            self.made += self._marks(kind, run) + self._links(kind, run)
            if self.made >= BATCH_ROWS:
                self.flush()

    def _claims(self, disputes: list) -> int:
        index, rows, made = self.index, self.waiting["dispute_claims"], 0
        for dispute in disputes:
            dispute_id = index.row_id("dispute", dispute.key)
            for kind, key in dispute.claims:
                rows.append((self._number("dispute_claims"), dispute_id, index.table(kind, key),
                             index.row_id(kind, key)))
                made += 1
        return made

    def _marks(self, kind: str, records: list) -> int:
        """The `inferences` rows of these records: their inferred fields and derived dates."""
        rows, made = self.waiting["inferences"], 0
        for record in records:
            if not (record.inferred or record.derived):
                continue
            table, fact = self.index.table(kind, record.key), self.index.row_id(kind, record.key)
            for marks, derived in ((record.inferred, False), (record.derived, True)):
                for field, basis in marks:
                    rows.append((self._number("inferences"), table, fact, field, basis, derived))
                    made += 1
        return made

    def _links(self, kind: str, records: list) -> int:
        """The link table rows of several-valued references (a statement's `about`)."""
        made = 0
        for fs, link in self.links[kind]:
            ids, rows = self.index.ids[fs.ref], self.waiting[link.name]
            for record in records:
                keys = record.values.get(fs.name) or ()
                if keys:
                    owner = self.index.row_id(kind, record.key)
                    for key in keys:
                        rows.append((self._number(link.name), owner, ids[key]))
                    made += len(keys)
        return made

    def _number(self, table: str) -> int:
        number = self.next_row[table] = self.next_row.get(table, 0) + 1
        return number

    def flush(self) -> None:
        """Insert every row waiting."""
        self.made = 0
        for name, rows in self.waiting.items():
            if rows:
                self.target.insert(self.tables[name], self.columns[name], rows)
                self._done(name, len(rows))
                rows.clear()
        for kind, rows in self.evidence_waiting.items():
            if rows:
                self.target.insert_evidence(kind, self.evidence_columns, rows)
                self._done("evidence", len(rows))
                rows.clear()

    def _done(self, table: str, rows: int) -> None:
        self.counts[table] += rows
        if self.progress is not None and table in self.totals:
            self.progress(table, self.counts[table], self.totals[table])

    def close(self) -> dict[str, int]:
        """Every row is in: finish the tables, and give each charge its status as last
        reported; the row counts by table."""
        self.flush()
        self.target.finish()
        self.target.connection.execute(latest_status_update())
        return dict(self.counts)


def latest_status_update() -> Any:
    """UPDATE giving each charge the latest entry of its status history, and when that
    entry was last reported. The latest is the one with the latest date (by its first day,
    then its last), an undated entry counting as the earliest; among equal dates the one
    curated last."""
    from sqlalchemy import select, update

    from casekb.schema.tables import table

    charges, history = table("charges"), table("charge_statuses")

    def latest(column):
        return (select(column).where(history.c.charge_id == charges.c.id)
                .order_by(history.c.date.desc().nulls_last(), history.c.date_end.desc(),
                          history.c.id.desc())
                .limit(1).scalar_subquery())

    return update(charges).values(
        status=latest(history.c.status), status_reported=latest(history.c.reported),
        status_reported_end=latest(history.c.reported_end),
        status_reported_precision=latest(history.c.reported_precision))


def _columns(table: Any, names: tuple[str, ...]) -> list:
    """The columns of `table`, which must be `names` in this order (rows are made so)."""
    if tuple(column.name for column in table.columns) != names:
        raise AssertionError(f"the columns of {table.name} are not {', '.join(names)}")
    return list(table.columns)


class RowPlan:
    """Makes the rows of one kind's table, and their evidence rows, from valid records.

    `add(records, rows, evidence_rows, number)` appends a row per record to `rows` and a row
    per evidence quote to `evidence_rows`, numbering those from `number`; it returns the next
    number, or -1 when a source's article cannot be read any more. It is one function
    generated from the kind's fields and the table's columns (a reference looked up, a date
    split into three columns, a folded twin...): a row costs no call per column, and a run
    of records of one kind no call per record.
    """

    def __init__(self, kind_spec: S.KindSpec, table: Any, index: Any,
                 article: Callable[[str], Any], *, dates_as_text: bool):
        self.table = table
        self.columns = list(table.columns)
        kind = kind_spec.kind
        names = {c.name for c in self.columns}
        # Precision is an Enum: its .value is a slow property, a dict look-up is not.
        helpers: dict[str, Any] = {"article_of": article, "source_ids": index.ids["source"],
                                   "precision_text": {p: p.value for p in Precision},
                                   "marked": _marked}
        lines: list[str] = ["values = record.values", "key = record.key"]
        columns: dict[str, str] = {"id": "row_id", "key": "key"}  # column -> expression
        if kind == "alias":
            helpers["alias_row"] = lambda key: index.row_id("alias", key)
            lines.append("row_id = alias_row(key)")
        else:
            helpers["own"] = index.ids[kind]
            lines.append("row_id = own[key]")
        for number, fs in enumerate(kind_spec.fields):
            if fs.type in (S.ID, S.EVIDENCE, S.CLAIMS, S.REFS):
                continue  # REFS: rows of a link table (StoreWriter._links)
            if fs.type == S.INFERRED:
                columns["inferred"] = "marked(record.inferred)"
                columns["derived"] = "marked(record.derived)"
                continue
            value = f"v{number}"
            lines.append(f"{value} = values.get({fs.name!r})")
            column = fs.target_column
            if fs.type == S.DATE:
                columns.update(_date_columns(column, value, dates_as_text))
            elif fs.type == S.QUANTITY:
                for part in ("value", "unit", "dimension", "text"):
                    columns[f"{column}_{part}"] = _unless_none(value, f"{value}.{part}")
            elif fs.type == S.REF:
                if column in names:  # an alias's table has the column of one owner only
                    helpers[f"ids_{fs.ref}"] = index.ids[fs.ref]
                    columns[column] = _unless_none(value, f"ids_{fs.ref}[{value}]")
            elif fs.type == S.BOOL and not table.c[column].nullable:
                # A flag left out means "no" (not suspended, not unsupervised).
                columns[column] = f"({value} is True)"
            else:
                columns[column] = value
            if fs.type == S.TEXT and f"{column}_folded" in names:
                columns[f"{column}_folded"] = _unless_none(value, f"{value}.casefold()")
        if kind == "source":
            # The article as read (path with '/', text, hash), not the `file` field as written.
            lines += ["article = article_of(key)", "if article is None:", "    return -1"]
            for part in ("file", "text", "sha256"):
                columns[part] = f"article.{part}"
        # Dates the validator derives (a status entry's `reported`); a charge's status and
        # when it was reported are set when every row is in (latest_status_update).
        for name in sorted(names):
            stem = name[:-len("_precision")] if name.endswith("_precision") else None
            if stem and stem not in columns:
                computed = f"computed_{stem}"
                lines.append(f"{computed} = values.get({stem!r})")
                columns.update(_date_columns(stem, computed, dates_as_text))
        if kind == "charge":
            columns["status"] = "None"
        missing = names - set(columns)
        if missing:
            raise AssertionError(f"no value for {table.name}.{', '.join(sorted(missing))}")
        lines.append(f"rows.append(({', '.join(columns[c.name] for c in self.columns)},))")
        if kind_spec.has_evidence:
            # In the order of the evidence table's columns (StoreWriter checks them).
            lines += ["for item in record.evidence:",
                      f"    evidence_rows.append((number, source_ids[item.source], "
                      f"{table.name!r}, row_id, item.quote, item.note))",
                      "    number += 1"]
        source = ("def add(records, rows, evidence_rows, number):\n"
                  "    for record in records:\n"
                  + "".join(f"        {line}\n" for line in lines)
                  + "    return number\n")
        exec(compile(source, f"<casekb {table.name} rows>", "exec"), helpers)
        self.add: Callable[[list, list, list, int], int] = helpers["add"]


def _date_columns(column: str, value: str, dates_as_text: bool) -> dict[str, str]:
    """The expressions of a date's three columns (first day, last day, precision)."""
    day = ".isoformat()" if dates_as_text else ""
    return {column: _unless_none(value, f"{value}.start{day}"),
            f"{column}_end": _unless_none(value, f"{value}.end{day}"),
            f"{column}_precision": _unless_none(value, f"precision_text[{value}.precision]")}


def _marked(marks: list[tuple[str, str]]) -> str | None:
    """The `inferred` (or `derived`) column: the marked fields joined with ", "."""
    return ", ".join(field for field, _ in marks) if marks else None


def _unless_none(value: str, expression: str) -> str:
    return f"(None if {value} is None else {expression})"
