"""The application factory, as a sequence of small ``configure_*`` steps."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from forum import config as forum_config
from forum import pagecache
from forum.cli import build_cli
from forum.content import text_boundary
from forum.extensions import csrf, db, limiter, login_manager, migrate
from forum.kernel.blueprints import mount_all
from forum.kernel.hooks import plugin_manager
from forum.kernel.manager import build_manager
from forum.ops import conditional, logs
from forum.routing import IdConverter
from forum.templating import init_templating
from forum.visibility import policy

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(__file__).resolve().parent


def data_folder(name: str) -> Path:
    """``templates`` or ``migrations``: inside the package when installed from a wheel, else the
    checkout's top-level folder.

    The repository keeps both at its top; the wheel maps them into ``forum/`` (see setup.py), as
    an installed package has nothing beside itself. The package's copy is looked at first because
    an unrelated ``site-packages/migrations`` folder may exist beside an installed ``forum``."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else ROOT / name


TEMPLATES = data_folder("templates")
MIGRATIONS = data_folder("migrations")


def create_app(config: dict | None = None) -> Flask:
    # None lets Flask choose: ``instance/`` beside ``forum/`` in a checkout, and
    # ``<prefix>/var/forum-instance`` when installed (never inside site-packages).
    instance = os.environ.get("FORUM_INSTANCE_PATH") or None
    app = Flask(
        "forum",
        instance_path=instance,
        template_folder=str(TEMPLATES),
        static_folder=str(PACKAGE / "static"),
    )
    app.config.from_mapping(forum_config.load(app.instance_path, config, debug=app.debug))

    logs.configure_logging(app)  # before anything touches app.logger
    configure_extensions(app)
    configure_plugins(app)
    configure_blueprints(app)
    configure_templates(app)
    configure_cli(app)
    from forum.kernel import (  # (a factory step loads its module when it runs, in the factory's order)
        errors,
        security,
    )

    errors.init_app(app)
    security.init_app(app)

    text_boundary.init_app(app)

    pagecache.init_app(app)

    conditional.init_app(app)
    logs.init_app(app)  # every response carries its request id
    configure_proxy(app)  # outermost: every layer sees the client's address, scheme and host
    with app.app_context():
        plugin_manager(app).hook.app_created.call_historic(kwargs={"app": app})
    return app


def configure_proxy(app: Flask) -> None:
    """Behind ``FORUM_PROXY_HOPS`` reverse proxies, take the client's address, scheme, host, port
    and prefix from their ``X-Forwarded-*`` headers; without it those headers are ignored.

    Outermost, so the page cache, the rate limits and the trusted-host check all see the
    client's request as the proxy received it."""
    hops = int(app.config.get("FORUM_PROXY_HOPS") or 0)
    if hops > 0:
        # (Flask's documented way to wrap the WSGI app; mypy sees a method)
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )


def configure_extensions(app: Flask) -> None:
    import forum.models  # noqa: F401  (every core table in the metadata)
    from forum.db import (  # (a factory step loads its module when it runs, in the factory's order)
        create_private_sqlite_file,
        ping_after_idle,
        tune_sqlite,
    )

    app.url_map.converters["id"] = IdConverter
    app.url_map.strict_slashes = False
    create_private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    db.init_app(app)
    with app.app_context():
        tune_sqlite(db.engine)
        ping_after_idle(db.engine, app.config["FORUM_DB_PING_AFTER_IDLE"])
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True, compare_type=True)
    from forum.kernel.migrations import (  # (a factory step loads its module when it runs, in the factory's order)
        configure_alembic,
        upgrade_all_heads_by_default,
    )

    migrate.configure(configure_alembic)
    upgrade_all_heads_by_default()
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)


def configure_plugins(app: Flask) -> None:
    from forum.kernel import (  # (a factory step loads its module when it runs, in the factory's order)
        events,
        registries,
    )

    pm = build_manager(app.config)
    app.extensions["forum.plugins"] = pm
    if app.debug or app.testing:
        pm.check_pending()
    registries.collect(app)
    policy.install()
    events.install()


def configure_blueprints(app: Flask) -> None:
    mount_all(app)


def configure_templates(app: Flask) -> None:
    from forum.kernel.hooks import (  # (a factory step loads its module when it runs, in the factory's order)
        call_all,
        flatten,
    )

    with app.app_context():
        overrides = flatten(call_all("template_overrides"))
        extra = flatten(call_all("register_template_folders"))
        translations = flatten(call_all("register_translation_folders"))
    app.jinja_loader = ChoiceLoader(
        [FileSystemLoader([str(p) for p in overrides])]
        + [FileSystemLoader(str(TEMPLATES))]
        + [FileSystemLoader([str(p) for p in extra])]
    )
    init_templating(app)
    from forum.i18n import selection  # (a factory step loads its module when it runs)

    selection.init_app(app, translations)


def configure_cli(app: Flask) -> None:
    app.cli.add_command(build_cli(app))
