"""Satisfaction (mức độ hài lòng): once the result is returned, the applicant rates the service once, from the
status page or on the desk's tablet. The supervisors' indicators count these rows."""
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from ... import audit, paging
from ...auth.models import User
from ...extensions import db
from ...procedures.models import ProcedureVersion
from ...reception.models import Application
from ...text import clean
from ...timeutil import now
from ..models import RATING_CHANNELS, RATING_LEVELS, Rating
from ..supervision.periods import day_end, day_start

# What was wrong, when the applicant is not satisfied (a short list; labels in onestop.labels "rating_reason").
REASONS = ("slow", "guidance", "attitude", "documents", "fees", "facilities", "other")
COMMENT_MAX = 1000


class RatingError(ValueError):
    """A rating the rules refuse; message for the person, errors per field, an HTTP status."""

    def __init__(self, message: str, errors: dict | None = None, status: int = 400):
        super().__init__(message)
        self.message, self.errors, self.status = message, errors or {}, status


def rating_of(application: Application) -> Rating | None:
    return db.session.scalar(sa.select(Rating).filter_by(application_id=application.id))


def may_rate(application: Application) -> bool:
    """Only a returned file, and only once."""
    return application.status == "returned" and rating_of(application) is None


def rate(application: Application, level: str | None, reasons=(), comment: str | None = None,
         channel: str = "status_page", user: User | None = None) -> Rating:
    """Record the one rating of a returned application; flushes, never commits."""
    if channel not in RATING_CHANNELS:
        raise RatingError(_("Kênh đánh giá không hợp lệ."))
    if application.status != "returned":
        raise RatingError(_("Hồ sơ chưa trả kết quả nên chưa thể đánh giá."), status=409)
    if rating_of(application) is not None:
        raise RatingError(_("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần."), status=409)
    errors = {}
    if level not in RATING_LEVELS:
        errors["level"] = _("Chọn mức độ hài lòng.")
    chosen = [reason for reason in REASONS if reason in set(reasons or ())]
    if set(reasons or ()) - set(REASONS):
        errors["reasons"] = _("Lý do không hợp lệ.")
    comment = clean(comment)
    if comment and len(comment) > COMMENT_MAX:
        errors["comment"] = _("Góp ý tối đa %(max)d ký tự.", max=COMMENT_MAX)
    if level == "not_satisfied" and not chosen and not comment:
        errors["reasons"] = _("Chọn điều chưa hài lòng hoặc ghi góp ý.")
    if errors:
        raise RatingError(_("Đánh giá chưa gửi được: vui lòng xem lại."), errors)
    rating = Rating(
        application_id=application.id,
        agency_id=application.agency_id,
        level=level,
        reasons=chosen if level == "not_satisfied" else None,
        comment=comment,
        channel=channel,
        at=now(),
        user_id=user.id if user is not None else None,
    )
    db.session.add(rating)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # the same file rated a moment ago from another screen
        raise RatingError(_("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần."), status=409)
    audit.record("application_rated", application, user=user, level=level, channel=channel)
    return rating


# ---------------------------------------------------------------- the supervisors' list


def rating_page(agency_ids, start: date, end: date, level: str | None = None, cursor: str | None = None,
                per_page: int = 50) -> paging.Page:
    """The ratings given in [start, end] (Vietnam's days) to files of these lead agencies (None: all), newest
    first in keyset pages: the files behind the dashboard's satisfaction figure, which counts them the same way."""
    columns = (Rating.at, Rating.id)
    query = (sa.select(Rating).join(Application, Application.id == Rating.application_id)
             .where(Rating.at >= day_start(start), Rating.at < day_end(end))
             .options(joinedload(Rating.application).load_only(Application.code, Application.procedure_version_id)
                      .joinedload(Application.version).load_only(ProcedureVersion.name)))
    if agency_ids is not None:
        # the lead agency, as the rollups count: the version's agency, else (a commune's own procedure) the
        # receiving one; written over the catalogue's few versions so that the period's ratings drive the plan
        versions = db.session.execute(sa.select(ProcedureVersion.id, ProcedureVersion.agency_id)).all()
        theirs = sorted(version for version, agency in versions if agency in agency_ids)
        unowned = sorted(version for version, agency in versions if agency is None)
        query = query.where(sa.or_(Application.procedure_version_id.in_(theirs), sa.and_(
            Application.procedure_version_id.in_(unowned), Application.agency_id.in_(sorted(agency_ids)))))
    if level:
        query = query.where(Rating.level == level)
    begin = paging.after(columns, True, cursor)
    if begin is not None:
        query = query.where(begin)
    rows = db.session.scalars(query.order_by(*paging.order(columns, True)).limit(per_page + 1)).all()
    return paging.Page(rows[:per_page], paging.cursor_of(rows[per_page - 1], columns) if len(rows) > per_page
                       else None)
