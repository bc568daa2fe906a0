"""Core tests use the fixtures of ``forum.testing`` (a pytest plugin, like plugin authors do)."""
