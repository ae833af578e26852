"""The receipt's printed content, from the stored receipt (never from the payment as it is now)."""
from ..timeutil import fmt
from .models import Receipt
from .words import amount_in_words


def receipt_context(receipt: Receipt) -> dict:
    agency = receipt.payment.agency
    application = receipt.payment.application
    cancellation = receipt.cancellation
    return {
        "agency_name": agency.name, "agency_code": agency.code,
        "parent_agency_name": agency.parent.name if agency.parent else None,
        "form_number": receipt.series.form_number, "symbol": receipt.series.symbol, "number": receipt.number,
        "issued_at": receipt.issued_at, "payer_name": receipt.payer_name, "application_code": receipt.application_code,
        "procedure_name": application.version.name if application else None, "method": receipt.method,
        "lines": [{**line, "words": amount_in_words(line["amount"])} for line in receipt.lines],
        "total": receipt.total, "total_words": amount_in_words(receipt.total),
        "collector_name": receipt.collector_name,
        "cancelled": (f"ngày {fmt(cancellation.at, '%d/%m/%Y')}: {cancellation.reason}" if cancellation else None),
    }


def render(receipt: Receipt, page: str = "A5") -> bytes:
    from ..pdf.fee_receipt import render_fee_receipt

    return render_fee_receipt(receipt_context(receipt), page)
