"""Messages: APA formatting and the Pandoc binary (KOP905–909, KOP912–919)."""

from kop.core.messages import Message

MESSAGES: tuple[Message, ...] = ()
