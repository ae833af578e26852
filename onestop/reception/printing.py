"""The official forms of an application, built from its record and rendered by onestop.pdf."""
from datetime import datetime

from .. import pdf, settings
from ..auth.models import Agency
from ..extensions import db
from ..labels import label
from ..timeutil import local
from .models import Application, DeskSlip
from . import backdating, keys, signing
from .services import lookup_url, time_text, tracking_url

FORMS = ("receipt", "supplement", "refusal", "apology", "stop", "control")
RETURN_PLACES = {"at_desk": "Tại bộ phận một cửa nơi nộp hồ sơ", "postal": "Qua dịch vụ bưu chính", "online": "Trực tuyến"}


class FormNotAvailable(LookupError):
    """The application has no such form yet (e.g. an apology slip before any apology)."""


PEOPLES_COMMITTEE = "Ủy ban nhân dân "
PLACE_PREFIXES = ("tỉnh ", "thành phố ", "phường ", "xã ", "đặc khu ", "thị trấn ")


def place_of(name: str) -> str:
    """'tỉnh Lào Cai' -> 'Lào Cai', 'phường Yên Bái' -> 'Yên Bái': the place in "Lào Cai, ngày … tháng …"."""
    for prefix in PLACE_PREFIXES:
        if name.lower().startswith(prefix):
            return name[len(prefix):]
    return name


def place_name(agency=None) -> str:
    """A commune's desk dates its forms at the commune, every other agency at the province."""
    if agency is not None and agency.level == "commune" and agency.name.startswith(PEOPLES_COMMITTEE):
        return place_of(agency.name[len(PEOPLES_COMMITTEE):])
    return place_of(str(settings.get("province_name")))


def heading(agency, form: str) -> dict:
    """Decree 30/2020: a department writes its governing body above its own name; a people's committee
    (of the province, or of a commune since 2025) is the issuing body itself and stands alone."""
    governed = agency.parent is not None and not agency.name.startswith(PEOPLES_COMMITTEE)
    return {
        "form_number": settings.get("form_numbers").get(form, ""),
        "agency_name": agency.name,
        "parent_agency_name": agency.parent.name if governed else None,
        "place": place_name(agency),
    }


def last_event(application: Application, event_type: str):
    for event in reversed(application.events):
        if event.type == event_type:
            return event
    raise FormNotAvailable(f"Hồ sơ chưa có sự kiện «{label(event_type, 'event')}».")


def applicant(application: Application) -> dict:
    return {
        "applicant_name": application.applicant_name,
        "applicant_kind": application.applicant_kind,
        "applicant_id_kind": application.applicant_id_kind,
        "applicant_id_number": application.applicant_id_number,
        "applicant_id_paper": application.applicant_id_paper,
        "applicant_address": application.applicant_address,
        "applicant_phone": application.applicant_phone,
        "applicant_email": application.applicant_email,
    }


def receipt_ctx(application: Application) -> dict:
    version = application.version
    representative = None
    if application.representative_name:
        representative = {
            "name": application.representative_name,
            "id_kind": application.representative_id_kind,
            "id_number": application.representative_id_number,
            "id_paper": application.representative_id_paper,
            "phone": application.representative_phone,
        }
    received = local(application.received_at)
    return {
        **heading(application.agency, "receipt"),
        **applicant(application),
        "at": application.received_at,
        "desk_name": f"Bộ phận một cửa – {application.agency.name}",
        "application_code": application.code,
        "representative": representative,
        "procedure_name": version.name,
        "procedure_code": application.procedure.code,
        "documents": application.documents,
        "sets": application.sets,
        "time_text": time_text(version),
        "received_at": application.received_at,
        "due_at": application.apology_due_at or application.due_at,
        "return_place": RETURN_PLACES.get(application.return_method or "at_desk"),
        "register_volume": f"{version.field} – năm {received.year}",
        "register_entry": application.register_entry,
        "officer_name": application.created_by.full_name if application.created_by else "",
        "tracking_url": tracking_url(application),
        "lookup_url": lookup_url(),
        "tracking_key": keys.grouped(application.tracking_key),
        "channel": application.channel,
    }


def _signed_heading(application: Application, event, form: str) -> tuple[dict, dict]:
    """The heading of the agency that signed the event's form, and who signed it."""
    signed = signing.signed_by(application, event)
    agency = db.session.get(Agency, signed["agency_id"]) or application.agency
    return heading(agency, form), signed


def supplement_ctx(application: Application) -> dict:
    event = last_event(application, "request_supplement")
    data = event.data or {}
    top, signed = _signed_heading(application, event, "supplement")
    return {
        **top,
        **applicant(application),
        "at": event.at,
        "application_code": application.code,
        "procedure_name": application.version.name,
        "procedure_code": application.procedure.code,
        "items": data.get("items", []),
        "reason": data.get("reason", ""),
        "officer_name": signed["name"] or "",
        "officer_phone": data.get("officer_phone") or "",
    }


def refusal_ctx(application: Application) -> dict:
    """Refused at the desk: the desk's officer signs under the receiving agency; during processing, the processing
    officer under the processing agency."""
    event = last_event(application, "refuse")
    top, signed = _signed_heading(application, event, "refusal")
    at_desk = signed["side"] == "desk"
    return {
        **top,
        **applicant(application),
        "at": event.at,
        "desk_name": f"Bộ phận một cửa – {application.agency.name}" if at_desk else None,
        "processing_name": None if at_desk else signed["agency"],
        "application_code": application.code,
        "procedure_name": application.version.name,
        "procedure_code": application.procedure.code,
        "reasons": (event.data or {}).get("reasons", []),
        "officer_title": signed["title"],
        "officer_name": signed["name"] or "",
    }


def apology_ctx(application: Application) -> dict:
    event = last_event(application, "apologise")
    data = event.data
    top, signed = _signed_heading(application, event, "apology")
    return {
        **top,
        "at": event.at,
        "applicant_name": application.applicant_name,
        "received_at": application.received_at,
        "procedure_name": application.version.name,
        "application_code": application.code,
        "original_due_at": datetime.fromisoformat(data["original_due_at"]),
        "reason": data["reason"],
        "new_due_at": datetime.fromisoformat(data["new_due_at"]),
        "signer_title": signed["title"],
        "signer_name": signed["name"],
    }


def stop_ctx(application: Application) -> dict:
    event = last_event(application, "stop")
    top, signed = _signed_heading(application, event, "stop")
    return {
        **top,
        "at": event.at,
        "applicant_name": application.applicant_name,
        "application_code": application.code,
        "procedure_name": application.version.name,
        "received_at": application.received_at,
        "request": (event.data or {}).get("request", ""),
        "signer_title": signed["title"],
        "signer_name": signed["name"],
    }


def control_rows(application: Application) -> list[dict]:
    """One row per hand-over, with the result of the stage it closes."""
    rows = []
    for event in application.events:
        data = event.data or {}
        if event.type in ("transfer", "step", "result_ready"):
            rows.append({"from_unit": data.get("from_unit", ""), "to_unit": data.get("to_unit", ""), "at": event.at,
                         "result": data.get("result"), "note": event.note or ""})
        elif event.type == "request_supplement":
            rows.append({"from_unit": "", "to_unit": "Người nộp hồ sơ", "at": event.at, "result": None,
                         "note": "Yêu cầu bổ sung: " + "; ".join(data.get("items", []))})
        elif event.type == "supplement_received":
            rows.append({"from_unit": "Người nộp hồ sơ", "to_unit": "", "at": event.at, "result": None,
                         "note": "Đã nhận hồ sơ bổ sung"})
        elif event.type == "return":
            rows.append({"from_unit": application.agency.name, "to_unit": "Người nộp hồ sơ", "at": event.at,
                         "result": None, "note": "Trả kết quả"})
        else:
            continue
        if event.backdated:  # the row's time was typed in the past: say so, and when it was really recorded
            rows[-1]["note"] = "; ".join(part for part in (rows[-1]["note"], backdating.slip_note(event)) if part)
    return rows


def control_ctx(application: Application) -> dict:
    lead = {application.agency_id, application.processing_agency_id}
    coordinating_ids = {(event.data or {}).get("to_agency_id") for event in application.events
                        if event.type in ("transfer", "step")} - lead - {None}
    coordinating = sorted(db.session.get(Agency, agency_id).name for agency_id in coordinating_ids)
    return {
        **heading(application.agency, "control"),
        "application_code": application.code,
        "procedure_name": application.version.name,
        "applicant_name": application.applicant_name,
        "processing_agency": (application.processing_agency or application.agency).name,
        "coordinating_agencies": coordinating,
        "received_at": application.received_at,
        "due_at": application.due_at,
        "rows": control_rows(application),
    }


BUILDERS = {
    "receipt": (receipt_ctx, "render_receipt"),
    "supplement": (supplement_ctx, "render_supplement"),
    "refusal": (refusal_ctx, "render_refusal"),
    "apology": (apology_ctx, "render_apology"),
    "stop": (stop_ctx, "render_stop"),
    "control": (control_ctx, "render_control"),
}


def render_form(application: Application, form: str) -> bytes:
    if form not in BUILDERS:
        raise FormNotAvailable("Không có biểu mẫu này.")
    build, renderer = BUILDERS[form]
    return getattr(pdf, renderer)(build(application))


def available_forms(application: Application) -> list[str]:
    present = {event.type for event in application.events}
    needs = {"supplement": "request_supplement", "refusal": "refuse", "apology": "apologise", "stop": "stop"}
    return [form for form in FORMS if form not in needs or needs[form] in present]


def desk_slip_pdf(slip: DeskSlip) -> bytes:
    """The supplement request or refusal handed over at the desk (no application code)."""
    common = {
        **heading(slip.agency, "supplement" if slip.kind == "supplement" else "refusal"),
        "at": slip.at,
        "applicant_name": slip.applicant_name,
        "applicant_id_kind": slip.applicant_id_kind,
        "applicant_id_number": slip.applicant_id_number or "",
        "applicant_id_paper": slip.applicant_id_paper,
        "applicant_address": slip.applicant_address or "",
        "applicant_phone": slip.applicant_phone or "",
        "applicant_email": slip.applicant_email or "",
        "application_code": None,
        "procedure_name": slip.version.name,
        "procedure_code": slip.version.procedure.code,
        "officer_name": slip.user.full_name if slip.user else "",
    }
    if slip.kind == "supplement":
        return pdf.render_supplement({**common, "items": slip.items or [], "reason": slip.reason,
                                      "officer_phone": (slip.user.phone if slip.user else "") or ""})
    return pdf.render_refusal({**common, "desk_name": f"Bộ phận một cửa – {slip.agency.name}",
                               "reasons": [slip.reason]})
