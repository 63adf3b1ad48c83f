"""Messages: One URL policy and control characters (KOP141–149, KOP410–419, KOP220–224)."""

from kop.core.messages import Message

MESSAGES: tuple[Message, ...] = ()
