"""Messages: BibTeX as biber reads it: crossref, comments, lenient APA rules (KOP225–239)."""

from kop.core.messages import Message

MESSAGES: tuple[Message, ...] = ()
