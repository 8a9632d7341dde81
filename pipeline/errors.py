"""The project's own failures.  Library errors are translated at the edge."""


class TriageError(Exception):
    """Base of every failure raised by complaint-triage itself."""


class ConfigError(TriageError):
    """The configuration cannot be read or is invalid."""


class MessageRejected(TriageError):
    """A message cannot be triaged; it is kept and quarantined with this reason."""


class MailboxError(TriageError):
    """The mailbox cannot be reached or refused a command."""
