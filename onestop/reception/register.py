"""The register (sổ theo dõi hồ sơ) of a period, read for printing: rows streamed from the database in batches
(a server-side cursor on PostgreSQL), never a whole year of ORM objects in memory; a period of at most a year,
and no more rows than a PDF or an Excel file can sensibly hold, each with a clear message."""
from collections.abc import Iterator
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..auth.models import Agency, User
from ..extensions import db
from ..labels import label
from ..procedures.models import ProcedureVersion
from ..timeutil import now
from .models import Application
from .printing import heading
from .queries import day_bounds

BATCH = 2000  # rows fetched at a time
DEFAULT_LIMITS = {"REGISTER_MAX_DAYS": 366, "REGISTER_PDF_MAX_ROWS": 3000, "REGISTER_XLSX_MAX_ROWS": 200_000}


class RegisterTooLarge(ValueError):
    """A register the period or the row limits refuse; the message says what to do instead."""


def limit(name: str) -> int:
    return int(current_app.config.get(name, DEFAULT_LIMITS[name]))


def statement(user: User, field: str | None, date_from: date, date_to: date):
    """What the register prints of each application received in the period, in order of reception."""
    start, _ = day_bounds(date_from)
    _, end = day_bounds(date_to)
    query = sa.select(
        Application.code, Application.procedure_version_id, Application.applicant_name,
        Application.applicant_address, Application.applicant_phone, Application.agency_id,
        Application.processing_agency_id, Application.received_at, Application.due_at, Application.apology_due_at,
        Application.returned_at, Application.return_method,
    ).where(Application.received_at >= start, Application.received_at < end)
    if not user.sees_every_agency():
        query = query.where(Application.agency_id.in_(sorted(user.visible_agency_ids())))
    if field:
        query = query.join(ProcedureVersion, ProcedureVersion.id == Application.procedure_version_id).where(
            ProcedureVersion.field == field)
    return query.order_by(Application.received_at, Application.code)


def check(user: User, field: str | None, date_from: date, date_to: date, fmt: str) -> None:
    """Refuse a period longer than the cap, or more rows than the format's limit (counted no further)."""
    days = limit("REGISTER_MAX_DAYS")
    if (date_to - date_from).days + 1 > days:
        raise RegisterTooLarge(_("Sổ theo dõi in tối đa %(days)s ngày một lần: hãy chọn khoảng thời gian ngắn hơn.",
                                 days=days))
    most = limit("REGISTER_PDF_MAX_ROWS" if fmt == "pdf" else "REGISTER_XLSX_MAX_ROWS")
    inner = statement(user, field, date_from, date_to).order_by(None).limit(most + 1).subquery()
    if db.session.scalar(sa.select(sa.func.count()).select_from(inner)) > most:
        raise RegisterTooLarge(
            _("Sổ có hơn %(rows)s hồ sơ, quá dài để in PDF: hãy chọn lĩnh vực, thu hẹp khoảng thời gian hoặc tải "
              "Excel.", rows=f"{most:,}".replace(",", ".")) if fmt == "pdf" else
            _("Sổ có hơn %(rows)s hồ sơ, quá dài cho một tệp Excel: hãy chọn lĩnh vực hoặc thu hẹp khoảng thời "
              "gian.", rows=f"{most:,}".replace(",", ".")))


def rows(user: User, field: str | None, date_from: date, date_to: date) -> Iterator[dict]:
    """The register's rows, numbered, fetched BATCH at a time."""
    versions = dict(db.session.execute(sa.select(ProcedureVersion.id, ProcedureVersion.name)).all())
    agencies = dict(db.session.execute(sa.select(Agency.id, Agency.name)).all())
    methods: dict = {}
    result = db.session.execute(statement(user, field, date_from, date_to).execution_options(yield_per=BATCH))
    for number, row in enumerate(result, start=1):
        method = row.return_method
        if method not in methods:
            methods[method] = label(method, "return_method")
        yield {
            "no": number,
            "code": row.code,
            "procedure": versions.get(row.procedure_version_id, ""),
            "applicant": row.applicant_name,
            "address_phone": ", ".join(part for part in (row.applicant_address, row.applicant_phone) if part),
            "lead_agency": agencies.get(row.processing_agency_id or row.agency_id, ""),
            "received_at": row.received_at,
            "due_at": row.apology_due_at or row.due_at,
            "returned_at": row.returned_at,
            "delivery_method": methods[method] if row.returned_at else "",
            "signature": "",
        }


def context(agency: Agency, field: str | None, date_from: date, date_to: date, register_rows) -> dict:
    """The register's heading and period around its rows (a list for the PDF, an iterator for Excel)."""
    return {
        **heading(agency, "register"),
        "title": "SỔ THEO DÕI HỒ SƠ",
        "field": field or "Tất cả lĩnh vực",
        "date_from": date_from,
        "date_to": date_to,
        "rows": register_rows,
        "at": now(),
    }
