"""`casekb coverage`: which sentences of each article the curated records cite, and which
sentences that state legal facts no record cites.

    coverage = measure(folder)        # a Coverage; bad curated data are its problems
    coverage.totals.unresolved        # flagged sentences neither cited nor ignored

The pieces: `sentences` (an article cut into sentences), `cues` (the words and patterns of
legal facts: one declaration), `reading` (sources and cited quotes, read without
validating), `ignore` (the ignore file, coverage-ignore.toml), `measuring` (quotes matched to
sentences) and `output` (table, Markdown and JSON).
"""

from casekb.coverage.measuring import (
    ArticleCoverage,
    Coverage,
    Sentence,
    Summary,
    measure,
)

__all__ = ["ArticleCoverage", "Coverage", "Sentence", "Summary", "measure"]
