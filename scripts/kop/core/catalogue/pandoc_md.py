"""Messages: Pandoc Markdown forms in citations: footnotes, spans, escapes (KOP305–319)."""

from kop.core.messages import Message

MESSAGES: tuple[Message, ...] = ()
