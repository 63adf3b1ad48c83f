"""Messages: Reading files safely: symlinks, special files, OS errors, limits (KOP150–159, KOP420–429, KOP960–969)."""

from kop.core.messages import Message

MESSAGES: tuple[Message, ...] = ()
