"""Messages: Search and navigation (KOP970–979)."""

from kop.core.messages import Message

MESSAGES: tuple[Message, ...] = ()
