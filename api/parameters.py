"""Rules for the API's text parameters, each written once: the parser's check and the OpenAPI schema.

A rule is a regular expression the whole value must match, and a length cap.
``rule.check(name, value)`` is what the views call (a 400 naming the parameter
otherwise); ``rule.schema()`` is what api/openapi.py publishes. The expressions
use explicit character classes only, never ``\\s``, ``\\w`` or ``$``: Python
reads ``\\s`` as including the control characters ``\\x1c``-``\\x1f`` and lets
``$`` match before a final newline, JSON Schema's ECMA-262 dialect does
neither, and a client validating against the document must get the answer the
server gives.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from wagtail.api.v2.utils import BadRequestError


def _members(*character_sets):
    """The characters of ``character_sets`` as class members, ``\\uXXXX``-escaped, runs as ranges.

    ``\\uXXXX`` means the same to Python and ECMA-262: ``_members("\\t\\n", " ")`` → ``\\u0009-\\u000a\\u0020``.
    """
    members, codes = [], sorted({ord(char) for characters in character_sets for char in characters})
    while codes:
        first = last = codes.pop(0)
        while codes and codes[0] == last + 1:
            last = codes.pop(0)
        members.append(f"\\u{first:04x}" if first == last else f"\\u{first:04x}-\\u{last:04x}")
    return "".join(members)


# Whitespace that separates words: what Python and ECMA-262 both call whitespace,
# less the control characters.
SPACE_CHARACTERS = (
    "\t\n\x0b\x0c\r \xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)
# C0 and C1 control characters other than that whitespace: never part of a value.
CONTROL_CHARACTERS = "".join(map(chr, [*range(0x00, 0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0)]))


def one_of(*character_sets):
    return f"[{_members(*character_sets)}]"


def none_of(*character_sets):
    return f"[^{_members(*character_sets)}]"


VISIBLE = none_of(CONTROL_CHARACTERS, SPACE_CHARACTERS)  # neither control nor space


@dataclass(frozen=True)
class TextRule:
    """A parameter's text: ``pattern`` matches the whole value, at most ``max_length`` characters."""

    pattern: str
    max_length: int
    description: str  # completes "<name> must be …"

    def check(self, name, value):
        """``value``, or a 400 saying what ``name`` must be."""
        if len(value) > self.max_length or not re.fullmatch(self.pattern, value):
            raise BadRequestError(f"{name} must be {self.description}")
        return value

    def schema(self):
        return {"type": "string", "maxLength": self.max_length, "pattern": f"^(?:{self.pattern})$"}


# People, films, festivals and roles: Django's ASCII slugs.
SLUG = TextRule("[-a-zA-Z0-9_]+", 255, "a slug (letters, digits, - and _), at most 255 characters")
# An id (up to 18 digits, below 2**63) or a slug that is not all digits.
ID_OR_SLUG = TextRule(
    "[0-9]{1,18}|[-a-zA-Z0-9_]*[-a-zA-Z_][-a-zA-Z0-9_]*",
    255,
    "an id (at most 18 digits) or a slug (letters, digits, - and _), at most 255 characters",
)
# Page slugs may hold any letter (Wagtail allows Unicode slugs): no spaces, no control characters.
PAGE_SLUG = TextRule(f"{VISIBLE}+", 255, "a page slug, at most 255 characters without spaces")
# A frontend path such as /reviews/ai-weiwei-never-sorry/ (empty: the home page).
HTML_PATH = TextRule(
    f"{none_of(CONTROL_CHARACTERS)}*", 1000, "a path of at most 1000 characters without control characters"
)
# Comma-separated tag names or slugs, spaces around each allowed, none empty.
TAGS_MAX = 10
_TAG = (
    f"{one_of(SPACE_CHARACTERS)}*{none_of(CONTROL_CHARACTERS, SPACE_CHARACTERS, ',')}"
    f"{none_of(CONTROL_CHARACTERS, ',')}*"
)
TAGS = TextRule(
    f"{_TAG}(?:,{_TAG}){{0,{TAGS_MAX - 1}}}",
    255,
    f"1 to {TAGS_MAX} comma-separated tag names or slugs, at most 255 characters",
)
# Search words are separated by whitespace or quotation marks (there is no phrase syntax).
SEARCH_SEPARATOR = one_of(SPACE_CHARACTERS, '"')
SEARCH_WORD = none_of(CONTROL_CHARACTERS, SPACE_CHARACTERS, '"') + "+"


def search_rule():
    """``search=``: 1 to ``API_SEARCH_MAX_TERMS`` words in at most ``API_SEARCH_MAX_LENGTH`` characters."""
    terms, length = settings.API_SEARCH_MAX_TERMS, settings.API_SEARCH_MAX_LENGTH
    return TextRule(
        f"{SEARCH_SEPARATOR}*{SEARCH_WORD}(?:{SEARCH_SEPARATOR}+{SEARCH_WORD}){{0,{terms - 1}}}{SEARCH_SEPARATOR}*",
        length,
        f"1 to {terms} words in at most {length} characters, without control characters",
    )


def search_words(query):
    """The words of a ``search=`` value that passed ``search_rule()``."""
    return re.findall(SEARCH_WORD, query)


def tag_list(value):
    """The tags of a ``tag=`` value that passed ``TAGS``, surrounding spaces removed."""
    return [tag.strip(SPACE_CHARACTERS) for tag in value.split(",")]


def page_filter_rules():
    """The pages endpoint's filters that are plain text, by parameter name."""
    return {
        "author": ID_OR_SLUG,
        "person": ID_OR_SLUG,
        "film": ID_OR_SLUG,
        "festival": ID_OR_SLUG,
        "tag": TAGS,
        "slug": PAGE_SLUG,
        "search": search_rule(),
    }
