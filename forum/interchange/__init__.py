"""Moving a series in and out of the forum as one JSON document (docs/import-format.md)."""
