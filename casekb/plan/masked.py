"""A new text written like one asked before, answered without parsing it: its *mask*.

A query's mask is its text with what may differ between two queries of one shape taken out:
the contents of every string literal (`"Alec Baldwin"` -> `""`) and every ASCII digit
(`2024-01-19` -> `0000-00-00`). Two texts with the same mask lex to the same tokens, apart
from the values those tokens hold:
- outside string literals the two texts are the same but for which ASCII digits stand where
  a digit stands, and every terminal of the grammar treats the ten digits alike (`\\d`, `\\w`);
- a string literal ends at the same closing quote whatever it holds (the grammar's STRING,
  casekb.lang.literals.STRING, is the pattern that finds them here), and nothing but a STRING
  can start at a quote.
So they parse to trees of the same shape whose literals differ, and resolve to the same shape.

When a query is answered from its parsed and resolved form, `recipe` writes down, for each of
its values (by slot), where its literal stands in the mask and the conversion the resolver
gave it (casekb.lang.literals.CONVERSIONS); a boolean, which hides nothing, is the same in
every text of the mask and is kept as it is. It declines a text whose mask hides anything
that is not a value (a digit in a name, a string in a comment): there the argument above
would not hold. Another text with the same mask is answered by `values_of`: its literals are
cut out of it, converted the same way, and bound into the plan of the shape. A conversion that
fails (a date that does not exist, a word outside a vocabulary) gives None, and the text goes
the full way, which says what is wrong in the user's words.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from casekb.errors import QueryError, offset_of
from casekb.lang.literals import CONVERSIONS, STRING, check_text, unescape

if TYPE_CHECKING:
    from casekb.lang.resolve import ResolvedQuery

_DIGIT = re.compile("[0-9]")
_HIDDEN_STRING = '""'


class Mask(NamedTuple):
    """A text's mask, and where its string literals stand in the text (start, end)."""

    key: str
    strings: list[tuple[int, int]]

    def text_offset(self, offset: int) -> int:
        """The offset in the text of `offset` in the mask (outside the strings' quotes)."""
        shift = 0
        for start, end in self.strings:
            if start - shift >= offset:
                break
            shift += (end - start) - len(_HIDDEN_STRING)
        return offset + shift

    def mask_offset(self, offset: int) -> int:
        """The offset in the mask of `offset` in the text (outside string literals)."""
        return offset - sum((end - start) - len(_HIDDEN_STRING)
                            for start, end in self.strings if end <= offset)


def mask(text: str) -> Mask | None:
    """The mask of `text`; None for a text no query can be (too long, not text)."""
    try:
        check_text(text)
    except QueryError:
        return None
    pieces: list[str] = []
    strings: list[tuple[int, int]] = []
    last = 0
    for found in STRING.finditer(text):
        pieces += [_DIGIT.sub("0", text[last:found.start()]), _HIDDEN_STRING]
        strings.append(found.span())
        last = found.end()
    pieces.append(_DIGIT.sub("0", text[last:]))
    return Mask("".join(pieces), strings)


def recipe(text: str, query: ResolvedQuery, masked: Mask) -> list[list] | None:
    """For each value of `query` (resolved from `text`, whose mask is `masked`), how to find
    and convert it in another text of the same mask; None when the mask hides more than the
    values."""
    strings = {span: number for number, span in enumerate(masked.strings)}
    slots: list[list] = []
    strings_used = digits_used = 0
    for value in query.values:
        if value.span is None or not value.conversion:
            return None
        start = offset_of(text, value.span)
        end = start + value.span.length
        conversion = [list(part) if isinstance(part, tuple) else part
                      for part in value.conversion]  # as JSON gives it back from the file
        if (start, end) in strings:
            slots.append(["string", strings[(start, end)], *conversion])
            strings_used += 1
            continue
        if any(start < string_end and string_start < end
               for string_start, string_end in masked.strings):
            return None
        digits = len(_DIGIT.findall(text, start, end))
        if digits:
            slots.append(["text", masked.mask_offset(start), masked.mask_offset(end),
                          *conversion])
        elif isinstance(value.value, bool):
            slots.append(["same", value.value])  # `yes` is `yes` in every text of the mask
        else:
            return None
        digits_used += digits
    digits_anywhere = len(_DIGIT.findall(masked.key))
    if strings_used != len(masked.strings) or digits_used != digits_anywhere:
        return None  # a string or a digit that is not a value: a comment, a name
    return slots


def values_of(text: str, masked: Mask, slots: list[list]) -> tuple[Any, ...] | None:
    """The values, by slot, of a text whose mask is `masked`, as `recipe` says to find and
    convert them; None when one cannot be converted."""
    values: list[Any] = []
    try:
        for slot in slots:
            if slot[0] == "same":
                values.append(slot[1])
                continue
            if slot[0] == "string":
                start, end = masked.strings[slot[1]]
                literal, (name, *arguments) = unescape(text[start:end]), slot[2:]
            else:
                start, end = masked.text_offset(slot[1]), masked.text_offset(slot[2])
                literal, (name, *arguments) = text[start:end], slot[3:]
            values.append(CONVERSIONS[name](literal, *arguments))
    except ValueError:
        return None  # the full path says what is wrong, in the user's words
    except (KeyError, IndexError, TypeError):
        return None  # an entry this code did not write (a file edited by hand): the full path
    return tuple(values)
