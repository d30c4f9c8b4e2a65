"""The name of every file the site sends: one helper, so no download's name can break it.

A name is built from data (a child's reference, a period, a council's code), and a header value
with a line break is refused by Django (a server error) while a quote or a slash makes a header
or a file name that browsers read differently. `safe_filename` keeps letters (any alphabet),
digits, spaces, full stops, hyphens and underscores and turns anything else into a hyphen;
`content_disposition` builds the header from it (non-ASCII names encoded as RFC 6266 asks).
"""

import re
import unicodedata

from django.utils.http import content_disposition_header

FALLBACK = "download"
MAX_LENGTH = 120
_UNSAFE = re.compile(r"[^\w .-]+")
_SPACES = re.compile(r" {2,}")
_RUNS = re.compile(r"[-._]*-[-._]*")  # a run with a hyphen in it: "-..-" of a "../" path
_DOTS = re.compile(r"\.{2,}")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


def safe_filename(name: str) -> str:
    """`name` as a file name every browser and file system takes as it is.

    "chronology-999-2026-00001.pdf" is unchanged; a line break or a quote in a reference
    ("chronology-A<newline>"B.pdf") becomes a hyphen ("chronology-A-B.pdf").
    """
    text = unicodedata.normalize("NFKC", name)
    found = _EXTENSION.search(text)
    extension = found[0] if found else ""
    stem = text[: len(text) - len(extension)]
    stem = _DOTS.sub(".", _RUNS.sub("-", _UNSAFE.sub("-", stem)))
    stem = _SPACES.sub(" ", stem).strip("-._ ")
    stem = stem[: MAX_LENGTH - len(extension)].rstrip("-._ ")
    return f"{stem or FALLBACK}{extension}"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """The Content-Disposition header for a download (`inline` shows it in the browser)."""
    header = content_disposition_header(as_attachment=not inline, filename=safe_filename(filename))
    return header or "attachment"
