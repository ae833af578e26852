"""What the citizen is told at each step: a line with the code and the status page's address, never an identity
number. The same words go by e-mail (with tone marks) and by SMS (without, unless the province chooses Unicode)."""
from datetime import datetime

from ..timeutil import fmt


def tracking_address(application, compact: bool = False) -> str:
    """The status page with its key; compact (for SMS) writes the key without its grouping dashes."""
    from ..reception.services import tracking_url

    address = tracking_url(application)
    return address.split("?k=")[0] + "?k=" + application.tracking_key if compact else address


def line(application, item) -> str:
    data = item.data or {}
    code = application.code
    if item.type == "receive":
        return f"Hồ sơ {code} đã được tiếp nhận, hẹn trả kết quả {fmt(application.due_at)}."
    if item.type == "request_supplement":
        return f"Hồ sơ {code} cần bổ sung giấy tờ; xem nội dung tại trang tra cứu."
    if item.type == "apologise":
        new_due = data.get("new_due_at")
        return (f"Hồ sơ {code} chậm so với hẹn; xin lỗi ông/bà. Hẹn trả mới: "
                f"{fmt(datetime.fromisoformat(new_due)) if new_due else ''}.")
    if item.type == "result_ready":
        return f"Hồ sơ {code} đã có kết quả; mời ông/bà nhận kết quả."
    if item.type == "return":
        if data.get("method") == "postal":
            return f"Hồ sơ {code}: kết quả đã được gửi qua bưu chính."
        return f"Hồ sơ {code} đã trả kết quả. Cảm ơn ông/bà."
    if item.type == "refuse":
        return f"Hồ sơ {code} bị từ chối; xem lý do tại trang tra cứu."
    return f"Hồ sơ {code}: có cập nhật mới."


def short(application, item) -> str:
    """The SMS form: one segment holds it with the status page's address ("HS" is how the desks write hồ sơ)."""
    data = item.data or {}
    code = application.code
    if item.type == "receive":
        return f"HS {code} đã tiếp nhận, hẹn trả {fmt(application.due_at)}"
    if item.type == "request_supplement":
        return f"HS {code} cần bổ sung giấy tờ"
    if item.type == "apologise":
        new_due = data.get("new_due_at")
        return f"HS {code} trễ hẹn, xin lỗi ông/bà. Hẹn mới {fmt(datetime.fromisoformat(new_due)) if new_due else ''}"
    if item.type == "result_ready":
        return f"HS {code} đã có kết quả"
    if item.type == "return":
        return f"HS {code} đã gửi kết quả qua bưu chính" if data.get("method") == "postal" else \
            f"HS {code} đã trả kết quả"
    if item.type == "refuse":
        return f"HS {code} bị từ chối, xem lý do"
    return f"HS {code} có cập nhật"


SUBJECTS = {"receive": "Đã tiếp nhận hồ sơ", "request_supplement": "Yêu cầu bổ sung hồ sơ",
            "apologise": "Hẹn lại ngày trả kết quả", "result_ready": "Hồ sơ đã có kết quả",
            "return": "Đã trả kết quả", "refuse": "Hồ sơ bị từ chối"}
