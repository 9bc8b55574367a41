"""The Markdown of a report's prose as HTML: the plain subset reports need, escaped throughout.

Supported: headings (`#` to `######`), paragraphs, bullet and numbered lists (one level),
block quotes (nested at most MAX_QUOTE_DEPTH deep; deeper `>` are text), fenced code blocks,
horizontal rules, and inline `code`, **bold**, *italic* or _italic_, [links](url) and
backslash escapes. Anything else is shown as text. Every piece of text is HTML-escaped, and
every link of a report page is written by `anchor`, which keeps it only when `safe_url` says
a browser may follow it, so a report can never inject markup or script into the page.
"""

from __future__ import annotations

import html
import re

_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*(\S*).*$")
_BULLET = re.compile(r"^ {0,3}[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^ {0,3}\d{1,9}[.)]\s+(.*)$")
_QUOTE = re.compile(r"^ {0,3}>\s?(.*)$")
_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_ESCAPABLE = "\\`*_{}[]()<>#+-.!|~$"
# Block quotes inside block quotes: each level is a call, and no page needs many.
MAX_QUOTE_DEPTH = 16

# The schemes a link may have: the web, e-mail, and file: for links to the article files (by
# default they point at the curated folder). Anything else (javascript:, data:, vbscript:...)
# can run script, or load what the page did not mean to.
SAFE_SCHEMES = ("http", "https", "mailto", "file")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Browsers drop these from a URL before they read its scheme ("java\tscript:", " javascript:").
_DROPPED_FROM_URLS = re.compile(r"[\x00-\x20\x7f]")


def safe_url(url: str) -> bool:
    """Whether a report page may link to `url`: a relative address (a path, `#anchor`,
    `//host/...`) or one whose scheme is in SAFE_SCHEMES."""
    scheme = _SCHEME.match(_DROPPED_FROM_URLS.sub("", url))
    return scheme is None or scheme.group(1).lower() in SAFE_SCHEMES


def anchor(url: str, label: str) -> str:
    """`<a href="url">label</a>` (label already HTML), or the label alone when the URL is not
    safe to follow. Every link of a report page is written here."""
    if not safe_url(url):
        return label
    return f'<a href="{html.escape(url)}">{label}</a>'


def to_html(text: str, depth: int = 0) -> str:
    """HTML for a piece of Markdown prose (`depth`: inside that many block quotes)."""
    quoting = depth < MAX_QUOTE_DEPTH
    lines = text.splitlines()
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        fence = _FENCE.match(line)
        if fence:
            marker = fence.group(1)
            end = index + 1
            while end < len(lines) and not (lines[end].strip().startswith(marker)
                                            and set(lines[end].strip()) == {marker[0]}):
                end += 1
            code = "\n".join(lines[index + 1:end])
            out.append(f"<pre><code>{html.escape(code)}</code></pre>")
            index = end + 1
            continue
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            words = heading.group(2)
            out.append(f'<h{level} id="{slug(words)}">{inline(words)}</h{level}>')
            index += 1
            continue
        if _RULE.match(line):
            out.append("<hr>")
            index += 1
            continue
        for pattern, tag in ((_BULLET, "ul"), (_NUMBERED, "ol")):
            if pattern.match(line):
                items, index = _list_items(lines, index, pattern)
                out.append(f"<{tag}>" + "".join(f"<li>{inline(item)}</li>" for item in items)
                           + f"</{tag}>")
                break
        else:
            if quoting and _QUOTE.match(line):
                quoted = []
                while index < len(lines) and _QUOTE.match(lines[index]):
                    quoted.append(_QUOTE.match(lines[index]).group(1))
                    index += 1
                out.append(f"<blockquote>{to_html(chr(10).join(quoted), depth + 1)}"
                           f"</blockquote>")
                continue
            paragraph = [line.strip()]  # the first line is a paragraph's, whatever it is
            index += 1
            while index < len(lines) and lines[index].strip() and \
                    not _starts_block(lines[index], quoting):
                paragraph.append(lines[index].strip())
                index += 1
            out.append(f"<p>{inline(' '.join(paragraph))}</p>")
    return "\n".join(out)


def _starts_block(line: str, quoting: bool = True) -> bool:
    blocks = (_HEADING, _FENCE, _BULLET, _NUMBERED, _RULE) + ((_QUOTE,) if quoting else ())
    return any(p.match(line) for p in blocks)


def _list_items(lines: list[str], index: int, pattern: re.Pattern) -> tuple[list[str], int]:
    """The items of a list from `index` (continuation lines are indented), and where it ends."""
    items: list[str] = []
    while index < len(lines):
        line = lines[index]
        match = pattern.match(line)
        if match:
            items.append(match.group(1).strip())
        elif line.strip() and line.startswith((" ", "\t")) and items:
            items[-1] += " " + line.strip()
        else:
            break
        index += 1
    return items, index


def slug(text: str) -> str:
    """An id for a heading: lower case words joined with '-'."""
    words = re.findall(r"[a-z0-9]+", plain(text).lower())
    return "-".join(words) or "section"


def plain(text: str) -> str:
    """Inline Markdown without its markup (for titles and ids)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\\(.)", r"\1", text)
    return re.sub(r"[*_`]", "", text)


def inline(text: str) -> str:
    """One line of inline Markdown as escaped HTML."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in _ESCAPABLE:
            out.append(html.escape(text[index + 1]))
            index += 2
            continue
        if char == "`":
            close = text.find("`", index + 1)
            if close > index:
                out.append(f"<code>{html.escape(text[index + 1:close])}</code>")
                index = close + 1
                continue
        if char == "[":
            link = re.match(r"\[([^\]]+)\]\(([^)\s]+)\)", text[index:])
            if link:
                label, url = link.groups()
                out.append(anchor(url, inline(label)))
                index += link.end()
                continue
        for marker, tag in (("**", "strong"), ("__", "strong"), ("*", "em"), ("_", "em")):
            if text.startswith(marker, index):
                close = text.find(marker, index + len(marker))
                inner = text[index + len(marker):close] if close > 0 else ""
                if inner.strip() and inner == inner.strip() and \
                        not (marker == "_" and _inside_word(text, index, close)):
                    out.append(f"<{tag}>{inline(inner)}</{tag}>")
                    index = close + len(marker)
                    break
        else:
            out.append(html.escape(char))
            index += 1
    return "".join(out)


def _inside_word(text: str, start: int, close: int) -> bool:
    """snake_case_words are not emphasis."""
    before = text[start - 1] if start > 0 else " "
    after = text[close + 1] if close + 1 < len(text) else " "
    return before.isalnum() or after.isalnum()
