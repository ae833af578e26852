"""`flask --app wsgi payments reconcile` and `flask --app wsgi fees collect-when`."""
import click
from flask.cli import AppGroup

payments_cli = AppGroup("payments", help="Thanh toán phí, lệ phí trực tuyến.")
fees_cli = AppGroup("fees", help="Phí, lệ phí.")


def reconcile() -> dict[str, int]:
    """Ask the platform the status of every online payment left pending and record what it says (each in its
    own transaction: one that fails leaves the others recorded)."""
    import sqlalchemy as sa

    from ..database import write_transaction
    from ..extensions import db
    from . import gateway
    from .models import Payment

    counts: dict[str, int] = {}
    for reference in gateway.pending_references():
        payment = db.session.scalar(sa.select(Payment).filter_by(reference=reference))
        try:
            answer = gateway.query(payment)
        except gateway.GatewayError:
            counts["unreachable"] = counts.get("unreachable", 0) + 1
            db.session.rollback()
            continue
        db.session.rollback()  # the read above ends here; the write below starts as a writer
        with write_transaction():
            outcome, _payment = gateway.settle(answer)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


@payments_cli.command("reconcile")
def reconcile_command():
    """Ask the payment platform about every pending online payment; record those it says are paid."""
    from . import gateway

    if not gateway.offered():
        raise click.ClickException("Chưa cấu hình PAYMENT_URL, PAYMENT_PARTNER_CODE, PAYMENT_SECRET.")
    counts = reconcile()
    if not counts:
        click.echo("Không có khoản thanh toán trực tuyến nào đang chờ.")
    for outcome, count in sorted(counts.items()):
        click.echo(f"{outcome}: {count}")


@fees_cli.command("collect-when")
@click.argument("procedure_code")
@click.argument("when", type=click.Choice(["before", "at_return"]))
def collect_when_command(procedure_code, when):
    """When a procedure's fees are collected: before acceptance, or when the result is handed back."""
    import sqlalchemy as sa

    from .. import audit
    from ..database import write_transaction
    from ..extensions import db
    from ..procedures.models import Procedure

    with write_transaction():
        procedure = db.session.scalar(sa.select(Procedure).filter_by(code=procedure_code))
        if procedure is None:
            raise click.ClickException(f"Không có thủ tục mã {procedure_code}.")
        procedure.fee_collect = when
        audit.record("procedure_fee_collect", procedure, username="cli", when=when)
    click.echo(f"{procedure_code}: thu phí {'trước khi tiếp nhận' if when == 'before' else 'khi trả kết quả'}.")
