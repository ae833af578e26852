"""Desk slips found again: the supplement requests and refusals a desk handed out, newest first, a page at a time."""
import re

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from ..auth.models import User
from ..extensions import db
from ..text import clean
from .models import DeskSlip

PAGE_SIZE = 30


def find_slips(user: User, q: str | None = None, kind: str | None = None, before: int | None = None,
               limit: int = PAGE_SIZE) -> tuple[list[DeskSlip], int | None]:
    """The slips of the desks the user sees, matching a name (any part) or an ID number (exactly); newest first.

    Keyset pages: `before` is the last slip of the previous page; returns (slips, the `before` of the next page).
    """
    query = (sa.select(DeskSlip).where(DeskSlip.agency_id.in_(user.visible_agency_ids()))
             .options(joinedload(DeskSlip.version), joinedload(DeskSlip.user)))
    q = clean(q)
    if q:
        number = re.sub(r"\s", "", q)
        query = query.where(sa.or_(DeskSlip.applicant_name.ilike(f"%{q}%"), DeskSlip.applicant_id_number == number,
                                   DeskSlip.applicant_id_number == number.upper()))
    if kind in ("supplement", "refusal"):
        query = query.where(DeskSlip.kind == kind)
    if before:
        last = db.session.get(DeskSlip, before)
        if last is not None:
            query = query.where(sa.tuple_(DeskSlip.at, DeskSlip.id) < sa.tuple_(sa.literal(last.at, DeskSlip.at.type),
                                                                              sa.literal(last.id)))
    rows = db.session.scalars(query.order_by(DeskSlip.at.desc(), DeskSlip.id.desc()).limit(limit + 1)).all()
    return rows[:limit], (rows[limit - 1].id if len(rows) > limit else None)
