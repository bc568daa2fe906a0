"""The audit log: the record every feature writes when staff act; moderation shows it."""
