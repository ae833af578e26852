"""onestop: software for Vietnam's one-stop desks (bộ phận một cửa)."""
import os
from pathlib import Path

from flask import Flask, Request
from werkzeug.routing import IntegerConverter

from . import config as default_config, security
from .form_parsing import MultipartFormDataParser

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
IN_CHECKOUT = (ROOT / "setup.cfg").is_file()


def resource(name: str) -> Path:
    """A folder the repository keeps at its top (templates, migrations) and an installed wheel inside the package."""
    bundled = PACKAGE / name
    return bundled if bundled.is_dir() else ROOT / name


class OnestopRequest(Request):
    """Uploads are read by the `multipart` library and kept in memory (onestop.form_parsing): a request is bounded
    by MAX_CONTENT_LENGTH, and a paper is checked, hashed and stored from memory anyway."""

    form_data_parser_class = MultipartFormDataParser


class Onestop(Flask):
    """Flask, with each request's work run again when a write lost a race to another desk (onestop.database)."""

    request_class = OnestopRequest

    def dispatch_request(self):
        from .database import with_retries

        return with_retries(super().dispatch_request)


class DatabaseId(IntegerConverter):
    """<int:...> in a URL: a number no database id can exceed (beyond 64 bits is simply not found, a 404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2 ** 63 - 1)
        super().__init__(map, *args, **kwargs)


GC_YOUNGEST = 20_000


def settle_for_serving() -> None:
    """Called once a serving process has loaded the app (wsgi.py; the benchmarks, which time what it serves): what
    is loaded by then (modules, the app, its routes, templates and catalogues) lives as long as the process, so it is
    moved out of the cyclic garbage collector's way (gc.freeze) and a full collection during a request scans only what
    requests made. Before this, a full collection of the app's 200,000 objects cost up to 107 ms inside one upload.
    With gunicorn's --preload it also keeps those pages shared between the forked workers (Python's gc docs)."""
    import gc

    gc.collect()
    gc.freeze()
    # Collecting the youngest objects once 700 more are alive than before (the default) ran a collection every
    # few requests, and with it the older generations now and then: 0.1-0.3 ms an upload on average (issue 16).
    gc.set_threshold(GC_YOUNGEST, *gc.get_threshold()[1:])


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then instance/config.py, then the environment (or test_config)."""
    app = Onestop(
        __name__,
        instance_relative_config=True,
        # the checkout's instance/, or for an installed package Flask's own <prefix>/var/onestop-instance
        instance_path=os.environ.get("ONESTOP_INSTANCE_PATH") or (str(ROOT / "instance") if IN_CHECKOUT else None),
        template_folder=str(resource("templates")),
    )
    app.url_map.converters["int"] = DatabaseId
    app.config.from_object(default_config)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(default_config.from_environment())
        app.config.from_prefixed_env("ONESTOP")
    else:
        app.config.update(test_config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'onestop.db'}"
    check_secret_key(app)

    register_extensions(app)
    security.init_app(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def check_secret_key(app: Flask) -> None:
    """Refuse to run outside development and tests without a real secret key."""
    if app.config.get("SECRET_KEY"):
        return
    if app.testing or app.debug or os.environ.get("FLASK_DEBUG") == "1":
        app.config["SECRET_KEY"] = "dev-only-not-secret"
        return
    raise RuntimeError(
        "SECRET_KEY is not set: put it in instance/config.py or the SECRET_KEY environment variable"
    )


def register_extensions(app: Flask) -> None:
    from . import auth, database, i18n, models, process_cache  # noqa: F401  (models: every table on the metadata)
    from .extensions import csrf, db, limiter, migrate

    database.init_app(app)  # first: it decides how the request's transactions begin
    process_cache.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource("migrations")), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Pages, then the JSON API: its own routes (tokens, the OpenAPI document) and each feature's."""
    from . import api, calendar, fees, home, outbox, par_index, procedures, reception, tracking
    from .auth import views as auth_views
    from .calendar import api as calendar_api
    from .fees import api as fees_api
    from .procedures import api as procedures_api
    from .reception import api as reception_api
    from .tracking.supervision import api as supervision_api
    from .tracking.public import public_api as track_api

    home.init_app(app)
    app.register_blueprint(auth_views.bp)
    app.register_blueprint(auth_views.admin_bp)
    app.register_blueprint(procedures.bp)
    app.register_blueprint(calendar.bp)
    app.register_blueprint(reception.bp)
    app.register_blueprint(tracking.bp)
    fees.init_app(app)
    app.register_blueprint(api.bp)
    for feature_api in (procedures_api, calendar_api, reception_api, track_api, supervision_api, fees_api):
        app.register_blueprint(feature_api.bp)
    outbox.init_app(app)
    par_index.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from .errors import init_app

    init_app(app)


def register_template_helpers(app: Flask) -> None:
    from .templating import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    from .commands import init_app

    init_app(app)
