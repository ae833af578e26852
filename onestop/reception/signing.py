"""Who signs each form a lifecycle step produces, and under which agency's heading (Decree 30/2020).

A refusal made at the desk is signed by the desk officer under the receiving agency; made during processing, by the
processing officer under the processing agency. The supplement request is signed by the officer who guides the
applicant; the apology and the stop notice by the head of the agency that holds the file (name it, or leave the
line for the head's hand). The choice is stored on the event when it is recorded (`signed_by`), so a form printed
years later still names who signed it then.
"""
from flask_babel import lazy_gettext as _l

from ..auth.models import Agency, User
from ..extensions import db
from .models import Application, ApplicationEvent

SIGNED_EVENTS = ("request_supplement", "apologise", "refuse", "stop")
DESK_OFFICER = "CÁN BỘ TIẾP NHẬN HỒ SƠ"
PROCESSING_OFFICER = "CÁN BỘ XỬ LÝ HỒ SƠ"
GUIDE = "NGƯỜI HƯỚNG DẪN"
HEAD = "THỦ TRƯỞNG CƠ QUAN"
TITLE_LABELS = {  # the printed titles, as the page names them
    DESK_OFFICER: _l("Cán bộ tiếp nhận hồ sơ"),
    PROCESSING_OFFICER: _l("Cán bộ xử lý hồ sơ"),
    GUIDE: _l("Người hướng dẫn"),
    HEAD: _l("Thủ trưởng cơ quan"),
}


def side(user: User, application: Application) -> str:
    """'desk' or 'processing': a file not yet transferred is the desk's; after, its processing officers'."""
    if (application.status != "received" and user.has_role("officer", "supervisor")
            and user.can_see_agency(application.processing_agency_id)):
        return "processing"
    return "desk"


def _signed(agency: Agency, title: str, name: str | None, where: str) -> dict:
    return {"side": where, "agency_id": agency.id, "agency": agency.name, "title": title, "name": name}


def signer(application: Application, user: User, event_type: str, head_name: str | None = None) -> dict:
    """Who signs the form of this step if `user` records it now: side, agency (heading), title, name."""
    where = side(user, application) if event_type in ("refuse", "stop") else "processing"
    agency = application.agency if where == "desk" else (application.processing_agency or application.agency)
    if event_type in ("apologise", "stop"):
        return _signed(agency, HEAD, head_name or None, where)
    if event_type == "request_supplement":
        return _signed(agency, GUIDE, user.full_name, where)
    return _signed(agency, DESK_OFFICER if where == "desk" else PROCESSING_OFFICER, user.full_name, where)


def _processing_agency_then(application: Application, event: ApplicationEvent) -> Agency:
    """The agency that held the file when the event happened (from the hand-overs before it)."""
    agency_id = (application.version.agency_id or application.agency_id)
    for earlier in application.events:
        if earlier.seq >= event.seq:
            break
        if earlier.type in ("transfer", "step") and (earlier.data or {}).get("to_agency_id"):
            agency_id = earlier.data["to_agency_id"]
    return db.session.get(Agency, agency_id)


def signed_by(application: Application, event: ApplicationEvent) -> dict:
    """Who signed the form of a recorded step: as stored, or worked out for events recorded before it was stored."""
    data = event.data or {}
    if data.get("signed_by"):
        return data["signed_by"]
    name = event.user.full_name if event.user else None
    desk_only = event.user is not None and not event.user.has_role("officer", "supervisor")
    at_desk = event.type in ("refuse", "stop") and (event.from_status == "received" or desk_only)
    agency = application.agency if at_desk else _processing_agency_then(application, event)
    where = "desk" if at_desk else "processing"
    if event.type == "apologise":
        return _signed(agency, HEAD, data.get("signer") or name, where)
    if event.type == "stop":
        return _signed(agency, HEAD, name, where)
    if event.type == "request_supplement":
        return _signed(agency, GUIDE, data.get("officer") or name, where)
    return _signed(agency, DESK_OFFICER if at_desk else PROCESSING_OFFICER, name, where)
