"""Writes casekb/lang/_standalone_parser.py, the query parser, from grammar/casekb.lark.

    python -m casekb.lang.generate_parser           # after editing the grammar
    python -m casekb.lang.generate_parser --check   # exit 1 when the module is out of date

The module is lark's stand-alone LALR parser (`lark.tools.standalone`): lark's parsing code and
the grammar's analysed tables in one file. Importing and loading it takes ~20 ms, against
~40 ms to import lark (~25 ms) and read lark's cache of the analysed grammar (~15 ms), which
every query not answered from the compiled-query cache used to pay (bench/README.md,
start-up). lark itself is needed only here, to analyse the grammar.

lark numbers the parser's states in an order that changes from run to run (it follows the
memory addresses of its item sets), so two generations of the same grammar differ in their
tables' numbering. "Up to date" is therefore checked by meaning, not by bytes: the module
records the SHA-256 of the grammar it was made from, and its terminals, rules and options must
be those lark reads from the grammar now (tests/test_standalone_parser.py checks both).
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import sys
from pathlib import Path
from typing import Any

MODULE = Path(__file__).resolve().parent / "_standalone_parser.py"
# The options casekb's parser has always been built with. A parser loaded from the generated
# module keeps them; only the transformer is given when it is loaded.
OPTIONS = {"parser": "lalr", "lexer": "contextual", "maybe_placeholders": True}

_HEADER = '''\
# GENERATED from grammar/casekb.lark by `python -m casekb.lang.generate_parser`: do not edit.
# Edit the grammar and run that command again; tests/test_standalone_parser.py fails while
# the two disagree. Options: {options}.
#
# What follows is lark's stand-alone parser ({version}), which lark licenses under the
# Mozilla Public License 2.0 (its notice is below), and the grammar's parsing tables; casekb
# changed one thing: lark's logger, which drops every message, no longer imports `logging`.
GRAMMAR_SHA256 = "{digest}"

'''


def grammar_digest(text: str) -> str:
    """The SHA-256 of the grammar's text (line endings made `\\n`, so that a checkout with
    CRLF endings gives the same digest)."""
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


def grammar_text() -> str:
    """The grammar the parser is generated from."""
    from casekb.resources import grammar_path

    return grammar_path().read_text(encoding="utf-8")


def lark_from_grammar(grammar: str) -> Any:
    """lark's parser for `grammar`, built with casekb's options (needs lark)."""
    import lark

    return lark.Lark(grammar, **OPTIONS)


def generated_module(grammar: str) -> str:
    """The text of the stand-alone parser module for `grammar`."""
    import lark
    from lark.tools.standalone import gen_standalone

    out = io.StringIO()
    # Compressed: the tables become one base64 string instead of a 200 kB dict literal. With
    # bytecode cached both load alike (~17 ms); without it (PYTHONDONTWRITEBYTECODE, or an
    # install that cannot write __pycache__) compiling the module takes 36 ms, not 154 ms.
    gen_standalone(lark_from_grammar(grammar), out=out, compress=True)
    options = ", ".join(f"{name}={value!r}" for name, value in OPTIONS.items())
    return _HEADER.format(options=options, version=f"lark {lark.__version__}",
                          digest=grammar_digest(grammar)) + _silent_logger(out.getvalue())


# lark's logger is set to CRITICAL and lark logs nothing at that level, so it never prints;
# but importing `logging` for it costs ~4 ms of every query's start-up (nothing else casekb
# runs for a query imports it). The generated module gets a logger that drops every message,
# which is what lark's does.
_LARK_LOGGER = (
    ("import logging\n", ""),
    ('logger: logging.Logger = logging.getLogger("lark")\n'
     "logger.addHandler(logging.StreamHandler())\n",
     "class _SilentLogger:\n"
     "    def _drop(self, *args, **kwargs):\n"
     "        pass\n"
     "    debug = info = warning = error = exception = critical = setLevel = _drop\n"
     "logger = _SilentLogger()  # casekb: lark's logger, at CRITICAL, drops everything\n"),
    ("logger.setLevel(logging.CRITICAL)\n", ""),
)


def _silent_logger(code: str) -> str:
    for lark_text, ours in _LARK_LOGGER:
        if code.count(lark_text) != 1:  # a lark release that sets up its logger differently
            raise RuntimeError(f"lark's stand-alone code changed: {lark_text!r} is not in it "
                               f"once; update _LARK_LOGGER in {__file__}")
        code = code.replace(lark_text, ours)
    if "logging." in code:
        raise RuntimeError(f"lark's stand-alone code uses `logging` beyond its logger; update "
                           f"_LARK_LOGGER in {__file__}")
    return code


def signature(parser: Any) -> dict:
    """What decides how a lark parser reads text, independent of how its tables are numbered:
    its terminals, rules, ignored terminals and options. Two parsers with the same signature
    build the same LALR tables (lark's construction is deterministic up to state numbers)."""
    terminals = sorted(
        (t.name, type(t.pattern).__name__, t.pattern.value, tuple(sorted(t.pattern.flags)),
         t.priority) for t in parser.terminals)
    rules = sorted(
        (rule.origin.name, tuple((s.name, getattr(s, "filter_out", None))
                                 for s in rule.expansion),
         rule.alias or "", rule.order, rule.options.keep_all_tokens, rule.options.expand1,
         rule.options.priority or 0, tuple(rule.options.empty_indices))
        for rule in parser.rules)
    options = {name: getattr(parser.options, name) for name in (*OPTIONS, "start")}
    return {"terminals": terminals, "rules": rules,
            "ignore": sorted(parser.lexer_conf.ignore), "options": options}


def load_module(path: Path = MODULE) -> Any:
    """The generated module at `path`, loaded afresh (not from `sys.modules`)."""
    spec = importlib.util.spec_from_file_location("_casekb_parser_under_check", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def disagreements(grammar: str, module: Any) -> list[str]:
    """How the generated `module` differs from what `grammar` says; empty when it is up to
    date (needs lark)."""
    found = []
    if getattr(module, "GRAMMAR_SHA256", None) != grammar_digest(grammar):
        found.append("it was generated from another text of the grammar")
    fresh, generated = signature(lark_from_grammar(grammar)), signature(module.Lark_StandAlone())
    found += [f"its {part} differ from the grammar's" for part in fresh
              if fresh[part] != generated[part]]
    return found


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        import lark  # noqa: F401  (only to say clearly that it is needed)
    except ImportError:
        print("generating the parser needs lark: pip install lark", file=sys.stderr)
        return 2
    grammar = grammar_text()
    if "--check" in argv:
        problems = disagreements(grammar, load_module()) if MODULE.exists() else ["missing"]
        if problems:
            print(f"{MODULE} is out of date ({'; '.join(problems)}): run "
                  f"python -m casekb.lang.generate_parser", file=sys.stderr)
            return 1
        print(f"{MODULE.name} matches the grammar")
        return 0
    text = generated_module(grammar)
    MODULE.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {MODULE} ({len(text):,} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
