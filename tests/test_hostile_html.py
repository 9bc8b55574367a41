"""Hostile text in the HTML reports: every curated text field and every report parameter
holds an XSS payload, and every HTML a report writes is parsed to show that no script, no
event handler and no unsafe link came through.

The curated folder below is valid (it builds), so that every payload reaches a page: names,
titles, notes, quotes, headlines, outlets, source URLs, article file names. The pages are
the bundled reports with the payloads as their parameters and `--link-base`, and a report of
our own that shows every entity's every field, with sources, as tables and as timelines, in
SQL blocks too, with an error block (--keep-going) and the payloads in its front matter.
The HTML is checked with the standard library's parser: only the elements and attributes the
renderer writes, no attribute that starts with "on", and every link http(s), mailto, file:
(the article files) or relative.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(document.domain)",
    " JaVaScRiPt:alert(document.cookie)",
    "java\tscript:alert(2)",
    "\x01javascript:alert(3)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(document.domain)",
    '<a href="javascript:alert(4)">click here</a>',
    "[click here](javascript:alert(5))",
    "<iframe src=javascript:alert(6)></iframe>",
    "</textarea></title><script>alert(7)</script>",
    "<style>body{background:url(javascript:alert(8))}</style>",
    "<details open ontoggle=alert(9)>toggle me</details>",
    "&lt;script&gt;alert(10)&lt;/script&gt;",
    "&#106;avascript:alert(11)",
    "**bold** _em_ `code` <b onmouseover=alert(12)>hover</b>",
]
# Payloads that are links, for the `url` of sources and --link-base.
URL_PAYLOADS = [p for p in PAYLOADS if ":" in p and "<" not in p and "[" not in p] + [
    "//example.org/ok", "https://example.org/ok?a=1&b=<2>", "articles/relative.txt",
]

# What the renderer writes: anything else in a page came from the data.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "section", "div", "h1", "h2",
    "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "blockquote", "pre", "code", "strong", "em",
    "a", "hr", "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "time", "br",
}
ALLOWED_ATTRIBUTES = {"href", "id", "class", "lang", "charset", "name", "content", "datetime"}
SAFE_SCHEMES = {"http", "https", "mailto", "file"}


def unsafe_link(url: str) -> bool:
    """Whether a browser would follow `url` with a scheme other than the safe ones. Browsers
    drop control characters and white space before they read the scheme."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return scheme is not None and scheme.group(1).lower() not in SAFE_SCHEMES


class PageAudit(HTMLParser):
    """Every element, attribute and link of a page, and its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.bad: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in ALLOWED_TAGS:
            self.bad.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name not in ALLOWED_ATTRIBUTES:
                self.bad.append(f"attribute {name}={value!r} on <{tag}>")
            if name == "href":
                self.links.append(value or "")
                if unsafe_link(value or ""):
                    self.bad.append(f"link {value!r}")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)


def audit(page: str) -> PageAudit:
    checker = PageAudit()
    checker.feed(page)
    checker.close()
    assert checker.tags.count("style") == 1 and "script" not in checker.tags, checker.tags
    assert not checker.bad, checker.bad
    return checker


def test_the_audit_catches_what_it_must():
    # The checker itself must be able to fail: each of these pages breaks one rule.
    for page in ["<p><script>x</script></p>", '<p onclick="x">a</p>',
                 '<a href="javascript:alert(1)">a</a>', '<a href=" java\tscript:x">a</a>',
                 '<a href="&#106;avascript:x">a</a>', "<img src=x>", '<p style="x">a</p>']:
        with pytest.raises(AssertionError):
            audit("<html><head><style></style></head><body>" + page + "</body></html>")


# -- A valid curated folder with a payload in every text field ---------------------------------

def _toml(value) -> str:
    # A JSON string is a TOML basic string (the same escapes).
    return json.dumps(value, ensure_ascii=False)


class _Payloads:
    """Hands out the payloads in turn, so every field gets one and every payload is used."""

    def __init__(self):
        self.next = 0

    def __call__(self) -> str:
        value = PAYLOADS[self.next % len(PAYLOADS)]
        self.next += 1
        return value


def write_hostile_folder(folder: Path) -> None:
    take = _Payloads()
    article = "\n\n".join(["A plain sentence about the case, so every quote has its article."]
                          + PAYLOADS) + "\n"
    (folder / "articles").mkdir(parents=True)
    sources = []
    names = ['"><svg onload=alert(1)>.txt', "<script>x<\\script>.txt", "plain.txt"]
    for number, url in enumerate(URL_PAYLOADS):
        file = f"articles/{number:02d}-{names[number % len(names)]}"
        (folder / file).write_text(article, encoding="utf-8")
        sources.append(f"""[[source]]
id = "s{number}"
file = {_toml(file)}
outlet = {_toml(take())}
headline = {_toml(take())}
url = {_toml(url)}
published = "2024-06-01"
basis = {_toml(take())}
note = {_toml(take())}
""")
    (folder / "sources.toml").write_text("\n".join(sources), encoding="utf-8")

    cited = iter(range(10**6))  # each record cites the next two sources: all are cited

    def evidence() -> str:
        items = [f"{{ source = \"s{next(cited) % len(URL_PAYLOADS)}\", "
                 f"quote = {_toml(take())}, note = {_toml(take())} }}" for _ in (0, 1)]
        return "evidence = [" + ", ".join(items) + "]"

    def text(*fields: str) -> str:
        return "\n".join(f"{name} = {_toml(take())}" for name in fields)

    records = f"""
[[case]]
id = "c1"
{text("title", "jurisdiction", "venue", "summary", "note")}
incident = "2021-10-21"
{evidence()}

[[person]]
id = "p1"
name = {_toml(PAYLOADS[0])}
{text("note")}
{evidence()}

[[person]]
id = "p2"
name = {_toml(PAYLOADS[1])}
{evidence()}

[[alias]]
id = "a1"
person = "p1"
name = {_toml(PAYLOADS[2])}
{text("note")}
{evidence()}

[[alias]]
id = "a2"
case = "c1"
name = {_toml(PAYLOADS[3])}
{evidence()}

[[role]]
id = "r1"
case = "c1"
person = "p1"
role = "defendant"
{text("title", "note")}
{evidence()}

[[offense]]
id = "o1"
{text("name", "jurisdiction", "statute", "note")}
class = "felony"
{evidence()}

[[charge]]
id = "ch1"
case = "c1"
defendant = "p1"
offense = "o1"
counts = 1
filed = "2023-01-31"
{text("note")}
{evidence()}

[[enhancement]]
id = "e1"
charge = "ch1"
{text("enhancement", "note")}
{evidence()}

[[status]]
id = "st1"
charge = "ch1"
status = "convicted"
date = "2024-03-06"
{text("note")}
{evidence()}

[[plea]]
id = "pl1"
charge = "ch1"
plea = "not guilty"
entered = "2023-02-24"
{text("note")}
{evidence()}

[[verdict]]
id = "v1"
charge = "ch1"
outcome = "convicted"
decided = "2024-03-06"
by = "jury"
{text("note")}
{evidence()}

[[sentence]]
id = "se1"
charge = "ch1"
imposed = "2024-04-15"
{text("summary", "note")}
{evidence()}

[[penalty]]
id = "pe1"
sentence = "se1"
kind = "prison"
bound = "imposed"
amount = "18 months"
{text("note")}
{evidence()}

[[event]]
id = "ev1"
case = "c1"
date = "2021-10-21"
kind = "incident"
{text("description", "note")}
{evidence()}

[[statement]]
id = "sm1"
case = "c1"
speaker = "p2"
about = "p1"
date = "2024-03-06"
quote = {_toml(PAYLOADS[4])}
{text("medium", "note")}
{evidence()}

[[statement]]
id = "sm2"
case = "c1"
speaker = "p1"
date = "2024-03-07"
quote = {_toml(PAYLOADS[6])}
{evidence()}

[[dispute]]
id = "d1"
case = "c1"
claims = ["statement:sm1", "statement:sm2"]
{text("subject", "note")}
"""
    (folder / "case.toml").write_text(records, encoding="utf-8")
    assert take.next >= len(PAYLOADS)  # every payload went into some field


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    from casekb.build.builder import build_store
    from casekb.curation import check_folder

    folder = tmp_path_factory.mktemp("xss") / "curated"
    write_hostile_folder(folder)
    result = check_folder(folder)
    assert result.ok, "\n".join(p.render() for p in result.problems)
    store = folder.parent / "xss.sqlite"
    build_store(folder, str(store))
    return store


# Every entity with every field, with sources, as a table and as a timeline; SQL blocks that
# show the raw urls and files; a block that fails (kept with --keep-going); a parameter in
# prose, a heading, a query and a SQL block. The front matter holds payloads too.
EVERY_FIELD = {
    "cases": "title, aliases, jurisdiction, venue, incident, summary",
    "people": "name, aliases, role, title, case",
    "defendants": "name, case, role",
    "charges": "defendant, offense, class, counts, enhancement, filed, closed, status, case",
    "pleas": "defendant, offense, plea, entered, agreement, case",
    "verdicts": "defendant, offense, outcome, decided, by, case",
    "sentences": "defendant, offense, imposed, summary, case",
    "penalties": "defendant, offense, kind, bound, amount, suspended, unsupervised, level, case",
    "events": "case, date, kind, description",
    "statements": "speaker, about, date, stance, quote, medium, case",
    "disputes": "id, case, subject, claims, note",
    "sources": "id, outlet, headline, published, file, url",
}


def hostile_report() -> str:
    front = (f"+++\ntitle = {_toml(PAYLOADS[0])}\ndescription = {_toml(PAYLOADS[10])}\n\n"
             f"[params.who]\ndescription = {_toml(PAYLOADS[1])}\n+++\n\n")
    parts = [front, "# Everything about $who\n\nProse with $who, and [a link](javascript:alert(1))"
             " and [another](JAVASCRIPT:alert(2)) and [a fine one](https://example.org).\n"]
    for entity, fields in EVERY_FIELD.items():
        sources = "" if entity in ("sources", "disputes") else " with sources"
        parts.append(f"## {entity} of $who\n\n```casekb\n{entity} show {fields}{sources}\n```\n")
        parts.append(f"```casekb timeline\n{entity} show {fields}{sources}\n```\n")
    parts.append('```casekb\npeople where name = $who show name, aliases with sources\n```\n')
    parts.append("```sql\nSELECT url, file, headline, :who AS who FROM sources ORDER BY id\n```\n")
    parts.append("```sql timeline\nSELECT published, url, outlet FROM v_sources ORDER BY id\n```\n")
    parts.append("```casekb\ncharges where nonsense = $who\n```\n")
    return "".join(parts).replace(":who", "$who")


def test_every_html_page_of_a_hostile_store_is_free_of_script(hostile_store, tmp_path, run_cli):
    report = tmp_path / "hostile.md"
    report.write_text(hostile_report(), encoding="utf-8")
    link_bases = [None, *URL_PAYLOADS]
    assert len(PAYLOADS) >= len(link_bases)  # each payload once as the parameter, each base too
    for number, who in enumerate(PAYLOADS):
        args = ["report", report, "--db", hostile_store, "--format", "html",
                "--keep-going", "--param", f"who={who}"]
        link_base = link_bases[number % len(link_bases)]
        if link_base is not None:
            args += ["--link-base", link_base]
        result = run_cli(*args)
        assert result.code == 1, result.err  # the one failing block
        checked = audit(result.out)
        shown = "".join(checked.text)
        assert PAYLOADS[0] in shown  # the payloads are shown as text, not dropped
        assert who.strip() in shown


# The payloads that name the person p1 (its name and its alias) and the case (its alias).
@pytest.mark.parametrize("name, parameter, values", [
    ("defendant-sheet", "defendant", [PAYLOADS[0], PAYLOADS[2]]),
    ("case-summary", "case", [PAYLOADS[3]]),
    ("sources-audit", None, [None]),
])
def test_the_bundled_reports_on_a_hostile_store_are_free_of_script(name, parameter, values,
                                                                   hostile_store, run_cli):
    for value in values:
        for link_base in [None, "javascript:alert(1)//", "https://example.org/articles"]:
            args = ["report", name, "--db", hostile_store, "--format", "html"]
            if value is not None:
                args += ["--param", f"{parameter}={value}"]
            if link_base is not None:
                args += ["--link-base", link_base]
            result = run_cli(*args)
            assert result.code == 0, result.err
            checked = audit(result.out)
            assert checked.tags.count("td") > 5  # the data did show


def test_a_javascript_url_of_a_source_is_not_a_link_and_a_web_url_is(hostile_store, tmp_path,
                                                                     run_cli):
    # The issue as reported: the list of cited sources linked "online" to the source's url.
    report = tmp_path / "cited.md"
    report.write_text(hostile_report(), encoding="utf-8")
    result = run_cli("report", report, "--db", hostile_store, "--format", "html",
                     "--param", "who=x", "--keep-going")
    checked = audit(result.out)
    assert "https://example.org/ok?a=1&b=<2>" in checked.links  # a safe url stays a link
    refused = [url for url in URL_PAYLOADS if unsafe_link(url)]
    assert len(refused) == 6 and not set(refused) & set(checked.links)


# -- Markdown nested without end ------------------------------------------------------------

def test_a_blockquote_nested_500_deep_renders_without_recursion_error(tmp_path, run_cli,
                                                                      rust_db):
    report = tmp_path / "deep.md"
    report.write_text("# Deep\n\n" + "> " * 500 + "bottom\n\n" + ">" * 100_000 + "\n",
                      encoding="utf-8")
    result = run_cli("report", report, "--db", rust_db, "--format", "html")
    assert result.code == 0, result.err[-2000:]
    checked = audit(result.out)
    assert "bottom" in "".join(checked.text)
    assert checked.tags.count("blockquote") <= 100
