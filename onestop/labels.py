"""Vietnamese labels for the codes stored in the database (English through the catalogue)."""
from flask_babel import lazy_gettext as _l

from .i18n import lazy_text

LABELS = {
    "status": {
        "received": _l("Đã tiếp nhận"),
        "transferred": _l("Đã chuyển xử lý"),
        "processing": _l("Đang xử lý"),
        "waiting_supplement": _l("Chờ bổ sung"),
        "result_ready": _l("Có kết quả"),
        "returned": _l("Đã trả kết quả"),
        "refused": _l("Từ chối"),
        "stopped": _l("Dừng xử lý"),
    },
    "event": {
        "receive": _l("Tiếp nhận"),
        "transfer": _l("Chuyển xử lý"),
        "step": _l("Bước xử lý"),
        "request_supplement": _l("Yêu cầu bổ sung"),
        "supplement_received": _l("Nhận bổ sung"),
        "apologise": _l("Xin lỗi, hẹn lại"),
        "result_ready": _l("Có kết quả"),
        "return": _l("Trả kết quả"),
        "refuse": _l("Từ chối"),
        "stop": _l("Dừng theo đề nghị"),
    },
    "channel": {
        "in_person": _l("Trực tiếp"),
        "online": _l("Trực tuyến"),
        "postal": _l("Bưu chính"),
    },
    "time_unit": {
        "working_days": _l("ngày làm việc"),
        "calendar_days": _l("ngày"),
        "working_hours": _l("giờ làm việc"),
        "same_day": _l("trong ngày"),
    },
    "online": {
        "full": _l("Toàn trình"),
        "partial": _l("Một phần"),
        "none": _l("Không"),
    },
    "level": {
        "province": _l("Cấp tỉnh"),
        "district": _l("Cấp huyện (trước 01/7/2025)"),
        "commune": _l("Cấp xã"),
        "shared": _l("Áp dụng chung"),
    },
    "procedure_status": {
        "in_force": _l("Đang áp dụng"),
        "suspended": _l("Tạm ngưng"),
        "abolished": _l("Đã bãi bỏ"),
    },
    "version_status": {
        "draft": _l("Bản nháp"),
        "in_force": _l("Có hiệu lực"),
        "abolished": _l("Bãi bỏ"),
    },
    "role": {
        "admin": _l("Quản trị"),
        "supervisor": _l("Lãnh đạo"),
        "clerk": _l("Cán bộ một cửa"),
        "officer": _l("Chuyên viên xử lý"),
        "appraiser": _l("Thẩm định CCHC (Sở Nội vụ)"),
    },
    "document_kind": {
        "original": _l("Bản chính"),
        "copy": _l("Bản sao"),
        "original_or_copy": _l("Bản chính hoặc bản sao"),
    },
    "applicant_kind": {
        "person": _l("Cá nhân"),
        "organisation": _l("Tổ chức"),
    },
    "id_kind": {
        "personal_id": _l("Căn cước / CCCD"),
        "cmnd": _l("CMND"),
        "passport": _l("Hộ chiếu"),
        "other": _l("Giấy tờ khác"),
        "tax_code": _l("Mã số thuế"),
    },
    "override": {
        "off": _l("Nghỉ thêm"),
        "work": _l("Làm bù"),
        "half_off_morning": _l("Nghỉ buổi sáng"),
        "half_off_afternoon": _l("Nghỉ buổi chiều"),
    },
    "return_method": {
        "at_desk": _l("Trực tiếp tại bộ phận một cửa"),
        "postal": _l("Qua bưu chính"),
        "online": _l("Trực tuyến"),
    },
    "due_state": {
        "overdue": _l("Quá hạn"),
        "due_soon": _l("Sắp đến hạn"),
        "in_time": _l("Trong hạn"),
        "paused": _l("Tạm dừng chờ bổ sung"),
        "done": _l("Đã kết thúc"),
    },
    "due_filter": {
        "overdue": _l("Quá hạn"),
        "today": _l("Đến hạn hôm nay"),
        "soon": _l("Sắp đến hạn"),
        "paused": _l("Tạm dừng chờ bổ sung"),
    },
    "timeliness": {
        "early": _l("Trước hạn"),
        "on_time": _l("Đúng hạn"),
        "late": _l("Quá hạn"),
    },
    # Complaints and feedback (PAKN) and satisfaction ratings (onestop.tracking)
    "complaint_status": {
        "received": _l("Đã tiếp nhận"),
        "in_handling": _l("Đang xử lý"),
        "answered": _l("Đã trả lời"),
        "closed": _l("Đã đóng"),
    },
    "complaint_event": {
        "receive": _l("Tiếp nhận"),
        "assign": _l("Giao xử lý"),
        "transfer": _l("Chuyển cơ quan khác"),
        "respond": _l("Trả lời"),
        "close": _l("Đóng"),
    },
    "complaint_channel": {
        "online": _l("Trực tuyến"),
        "in_person": _l("Trực tiếp"),
        "phone": _l("Điện thoại"),
        "letter": _l("Văn bản, thư"),
    },
    "rating_level": {
        "very_satisfied": _l("Rất hài lòng"),
        "satisfied": _l("Hài lòng"),
        "not_satisfied": _l("Chưa hài lòng"),
    },
    "rating_reason": {
        "slow": _l("Giải quyết chậm, trễ hẹn"),
        "guidance": _l("Hướng dẫn chưa rõ, phải đi lại nhiều lần"),
        "attitude": _l("Thái độ cán bộ chưa tốt"),
        "documents": _l("Yêu cầu giấy tờ ngoài quy định"),
        "fees": _l("Thu phí, lệ phí không đúng quy định"),
        "facilities": _l("Nơi chờ, cơ sở vật chất chưa tốt"),
        "other": _l("Lý do khác"),
    },
    "submission_state": {
        "waiting": _l("Chờ bộ phận một cửa kiểm tra"),
        "supplement_requested": _l("Chờ người nộp bổ sung"),
        "accepted": _l("Đã tiếp nhận"),
        "refused": _l("Từ chối tiếp nhận"),
        "lapsed": _l("Quá hạn bổ sung"),
    },
    "submission_event": {
        "submit": _l("Nộp trực tuyến"),
        "request_supplement": _l("Yêu cầu bổ sung"),
        "supplement": _l("Bổ sung giấy tờ"),
        "accept": _l("Tiếp nhận"),
        "refuse": _l("Từ chối tiếp nhận"),
    },
}


def label(value, group: str) -> str:
    """The label of a stored code, or the code itself when it has none."""
    found = LABELS.get(group, {}).get(value)
    if found is None:
        return str(value if value is not None else "")
    return lazy_text(found)
