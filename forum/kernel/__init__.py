"""The bottom layer: types, errors, the hook caller, events, settings and security primitives.

Nothing here imports a feature package (accounts, series, discussion, moderation, search, ...);
``make lint`` checks that with import-linter. Features and plugins build on these modules.
"""
