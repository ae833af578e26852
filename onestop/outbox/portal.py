"""The national public-service portal (Cổng Dịch vụ công quốc gia, DVCQG): what a dossier and a progress step look
like, and the calls that carry them.

Where each rule comes from, as far as it is known (issue 18; the portal publishes no open specification):
- the field names, the status codes (TrangThaiHoSo 1–10), `KenhThucHien` 1/2/3, `LoaiDoiTuong` 1–4, `HinhThuc`
  0/1 and the dates as `yyyyMMddHHmmss` in Vietnam time are those public provincial systems send (the
  DVCQG integration documents circulated to provinces; DOMAIN.md lists the status codes);
- a session first (user and password give a session token; each call carries the province's unit code), then one
  dossier call per change: `new`, or `update` when the portal answers that the code already exists ("đã tồn tại");
- an apology is a progress step with the new due date, not a status;
- the lengths below are the portal's column widths as provincial systems cut to them. They are kept in one table
  (LENGTHS) so a province can correct one without touching the code.
What is ours, not the portal's: the JSON envelope (`session`, `madonvi`, `service`, `data`) and the answer
(`error_code`, 0 for success, `message`), as the provincial adapters we know wrap them.
"""
import re
from datetime import datetime

from sqlalchemy.orm.util import identity_key

from ..extensions import db
from ..text import fold
from ..timeutil import VN

SETTINGS = ("PORTAL_LOGIN_URL", "PORTAL_DOSSIER_URL", "PORTAL_PROGRESS_URL", "PORTAL_UNIT_CODE",
            "PORTAL_USERNAME", "PORTAL_PASSWORD")
# TrangThaiHoSo: 1 registered online, 2 received, 3 refused, 4 processing, 5 supplement requested, 6 waiting for a
# financial obligation, 7 withdrawn, 8 stopped, 9 result ready, 10 returned.
STATUS = {"received": 2, "transferred": 4, "processing": 4, "waiting_supplement": 5, "result_ready": 9,
          "returned": 10, "refused": 3, "stopped": 7}  # our stop is always at the applicant's request: withdrawn
CHANNEL = {"in_person": 1, "online": 2, "postal": 3}
SUBJECT = {"person": 1, "organisation": 2}
# Events that are a step of progress rather than a change of the dossier's status.
PROGRESS_EVENTS = ("transfer", "step", "apologise")
LENGTHS = {"MaHoSo": 50, "MaTTHC": 50, "TenTTHC": 1000, "MaLinhVuc": 50, "TenLinhVuc": 500, "ChuHoSo": 250,
           "SoGiayToChuHoSo": 50, "SoDienThoai": 20, "Email": 100, "TrichYeuHoSo": 1000, "DonViXuLy": 500,
           "TenTepDinhKem": 500, "NguoiXuLy": 250, "ChucDanh": 250, "PhongBanXuLy": 500, "NoiDungXuLy": 2000}
DATE_FIELDS = ("NgayTiepNhan", "NgayHenTra", "NgayTra", "NgayKetThucXuLy", "ThoiDiemXuLy", "NgayBatDau",
               "NgayKetThucTheoQuyDinh")
NATIONAL_CODE = re.compile(r"^\d\.\d{6}")


def configured(config) -> bool:
    return all(config.get(name) for name in SETTINGS)


def portal_date(moment: datetime | None) -> str:
    return moment.astimezone(VN).strftime("%Y%m%d%H%M%S") if moment else ""


def cut(field: str, value) -> str:
    text = "" if value is None else " ".join(str(value).split())
    return text[: LENGTHS.get(field, 2000)]


def national_code(code: str) -> str:
    """`1.014199.H62` -> `1.014199`: the portal knows a procedure by its national code, without the province's."""
    found = NATIONAL_CODE.match(code or "")
    return found.group(0) if found else cut("MaTTHC", code)


def field_code(name: str | None) -> str:
    """The catalogue keeps a field's name, not the portal's code for it: a stable code folded from the name."""
    return cut("MaLinhVuc", fold(name).upper().replace(" ", "_")) or "KHAC"


def _related(application):
    """The version, the procedure and the processing agency's name, by id: at a reception the relationships are not
    loaded yet and these rows are in the session already (no query); the agency's name as the catalogue publishes
    it when the agency itself was not read."""
    from ..auth.models import Agency
    from ..procedures.models import Procedure, ProcedureVersion

    session = db.session
    version = session.get(ProcedureVersion, application.procedure_version_id)
    procedure = session.get(Procedure, application.procedure_id)
    agency_id = application.processing_agency_id or application.agency_id
    agency = session.identity_map.get(identity_key(Agency, agency_id))
    if agency is None and not version.agency_name:
        agency = session.get(Agency, agency_id)
    return version, procedure, agency.name if agency is not None else version.agency_name


def dossier(application, status: int | None = None) -> dict:
    """The dossier as the portal takes it, at this moment of its life."""
    version, procedure, agency = _related(application)
    supplements, results = [], []
    for item in application.events:
        if item.type == "request_supplement":
            supplements.append({"NgayYeuCau": portal_date(item.at), "NoiDung": cut("NoiDungXuLy", "; ".join(
                (item.data or {}).get("items") or [])), "NgayHenTraCu": portal_date(application.due_at)})
        elif item.type == "supplement_received" and supplements:
            supplements[-1]["NgayBoSung"] = portal_date(item.at)
            supplements[-1]["NgayHenTraMoi"] = portal_date(application.due_at)
    if application.result_at:
        results.append({"TenGiayTo": cut("TenTepDinhKem", version.result or version.name)})
    return {
        "MaHoSo": cut("MaHoSo", application.code),
        "MaTTHC": national_code(procedure.code if procedure else ""),
        "TenTTHC": cut("TenTTHC", version.name),
        "MaLinhVuc": field_code(version.field),
        "TenLinhVuc": cut("TenLinhVuc", version.field),
        "KenhThucHien": CHANNEL.get(application.channel, 1),
        "ChuHoSo": cut("ChuHoSo", application.applicant_name),
        "LoaiDoiTuong": SUBJECT.get(application.applicant_kind, 4),
        "SoGiayToChuHoSo": cut("SoGiayToChuHoSo", application.applicant_id_number),
        "SoDienThoai": cut("SoDienThoai", application.applicant_phone),
        "Email": cut("Email", application.applicant_email),
        "TrichYeuHoSo": cut("TrichYeuHoSo", f"{version.name} - {application.applicant_name}"),
        "NgayTiepNhan": portal_date(application.received_at),
        "NgayHenTra": portal_date(application.apology_due_at or application.due_at),
        "TrangThaiHoSo": status or STATUS.get(application.status, 4),
        "NgayTra": portal_date(application.returned_at),  # set by the return event's own transaction
        "HinhThuc": 1 if application.return_method == "postal" else 0,
        "NgayKetThucXuLy": portal_date(application.result_at),
        "DonViXuLy": cut("DonViXuLy", agency),
        "TaiLieuNop": [{"TenTepDinhKem": cut("TenTepDinhKem", doc.get("name")), "DuocSoHoa": 0, "DuocTaiSuDung": 0}
                       for doc in (application.documents or []) if isinstance(doc, dict)],
        "DanhSachLePhi": ([{"TenPhiLePhi": cut("TenTepDinhKem", version.fee_text or "Phí, lệ phí"),
                            "MucPhi": int(version.fee or 0)}] if version.fee_known and version.fee else []),
        "DanhSachHoSoBoSung": supplements,
        "DanhSachGiayToKetQua": results,
        "DuocThanhToanTrucTuyen": 0,
        "HoSoCoThanhPhanSoHoa": 0,
    }


def progress(application, item) -> dict:
    """One step of progress: a hand-over, a step, or an apology with its new due date."""
    data = item.data or {}
    user = item.user
    due = data.get("new_due_at") or data.get("deadline")
    return {
        "MaHoSo": cut("MaHoSo", application.code),
        "NguoiXuLy": cut("NguoiXuLy", user.full_name if user else ""),
        "ChucDanh": cut("ChucDanh", getattr(user, "title", None) or ""),
        "ThoiDiemXuLy": portal_date(item.at),
        "PhongBanXuLy": cut("PhongBanXuLy", data.get("to_unit") or _related(application)[2]),
        "NoiDungXuLy": cut("NoiDungXuLy", progress_text(item)),
        "TrangThai": STATUS.get(item.to_status, 4),
        "NgayBatDau": portal_date(item.at),
        "NgayKetThucTheoQuyDinh": portal_date(datetime.fromisoformat(due) if due else application.due_at),
    }


def progress_text(item) -> str:
    data = item.data or {}
    if item.type == "apologise":
        return f"Xin lỗi, hẹn lại ngày trả kết quả. Lý do: {data.get('reason', '')}"
    if item.type == "transfer":
        return f"Chuyển xử lý: {data.get('to_unit', '')}"
    return f"Chuyển bước xử lý: {data.get('to_unit', '')}"


def message(application, item) -> dict:
    """What the outbox keeps for the portal: the call and its body, as the application stood at the event."""
    if item.type in PROGRESS_EVENTS:
        return {"call": "progress", "body": progress(application, item)}
    return {"call": "dossier", "action": "new" if item.type == "receive" else "update",
            "body": dossier(application, STATUS.get(item.to_status))}
