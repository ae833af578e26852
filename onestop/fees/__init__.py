"""Fees and charges (phí, lệ phí): payments, receipts and their numbering, cancellations, refunds, the day's book
and the online payment gateway. The lines an application owes are reception's (reception.fee_lines); this package
records what was paid, and imports reception, never the other way round."""
from flask import Blueprint

bp = Blueprint("fees", __name__)


def init_app(app) -> None:
    """The application page shows its fee panel through a template global (reception's page knows no fees)."""
    from ..reception import hooks
    from . import services, views

    app.register_blueprint(bp)
    app.jinja_env.globals["fees_panel"] = views.fees_panel
    app.jinja_env.globals["fees_online_offer"] = views.online_offer
    app.jinja_env.globals["fees_submission_offer"] = views.submission_offer
    hooks.register_acceptance_check("fees", services.acceptance_check, services.waiting_note)
    hooks.register_return_check("fees", services.return_check)
    hooks.register_accepted("fees", services.attach_submission_payments)


from . import views  # noqa: E402,F401
