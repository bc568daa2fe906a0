"""Periodic jobs: ``flask forum run-jobs`` runs every due job of core and plugins, once per interval."""
