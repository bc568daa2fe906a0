"""Periodic jobs, as a core plugin: the ``flask forum run-jobs`` command."""

from __future__ import annotations

import click

from forum import hookimpl
from forum.jobs.runner import registered_jobs, run_due_jobs


@click.command("run-jobs")
@click.option("--only", metavar="NAME", help="Run only the job of this name (if it is due).")
def run_jobs_command(only: str | None):
    """Run every due periodic job once (run it every minute from cron or a systemd timer)."""

    if only and only not in {job.name for _, job in registered_jobs()}:
        raise click.BadParameter(f"no job named {only!r}", param_hint="--only")
    outcomes = run_due_jobs(only)
    for outcome in outcomes:
        click.echo(
            f"{outcome.name}: {outcome.status}"
            + (f" ({outcome.summary})" if outcome.summary else "")
        )
    if any(outcome.status == "failed" for outcome in outcomes):
        raise SystemExit(1)


@hookimpl
def register_cli_commands(cli):
    cli.add_command(run_jobs_command)
