"""The outbox: messages to the outside (the national portal, e-mail, SMS) written with the events that cause them
and delivered by `flask --app wsgi outbox work`."""
from flask import Blueprint

bp = Blueprint("outbox", __name__)


def init_app(app) -> None:
    from . import api, cli, enqueue, views  # noqa: F401  (routes register on import)

    enqueue.init_listeners()
    app.register_blueprint(bp)
    app.register_blueprint(api.bp)
    app.cli.add_command(cli.outbox_cli)
    app.cli.add_command(cli.portal_cli)
