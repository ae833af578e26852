"""The outbox: messages to the outside (the national portal, e-mail, SMS) written with the events that cause them
and delivered by `flask --app wsgi outbox work`."""
from flask import Blueprint

bp = Blueprint("outbox", __name__)
# Who wants to know that the national portal accepted files' receptions: fn(connection, application_ids), called in
# the worker's transaction (tracking counts them; the outbox knows no indicator).
synced_listeners: list = []


def on_synced(listener) -> None:
    if listener not in synced_listeners:
        synced_listeners.append(listener)


def init_app(app) -> None:
    from . import api, cli, enqueue, views  # noqa: F401  (routes register on import)

    enqueue.init_listeners()
    app.register_blueprint(bp)
    app.register_blueprint(api.bp)
    app.cli.add_command(cli.outbox_cli)
    app.cli.add_command(cli.portal_cli)
    app.jinja_env.globals["outbox_messages"] = views.application_messages
