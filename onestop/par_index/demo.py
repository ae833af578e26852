"""Demo PAR INDEX for `make run`, through the services: this year's criteria sets for the departments and for the
communes and wards (the sample appendix), a round open for self-assessment, and Sở Tư pháp's self-assessment
begun, with an evidence PDF. Sub-criterion 2.2.1 of the sample is bound to the on-time rate (the app measures it)."""
from datetime import timedelta

from ..pdf.layout import BODY, build, content_width, form_top, numbered, para, signatures
from ..timeutil import local, now
from . import rounds, sets, sheets
from .sample import SURVEY, criteria_workbook

GROUP_TITLES = {"departments": "Bộ tiêu chí xác định Chỉ số cải cách hành chính của các sở, ban, ngành năm {year}",
                "communes": "Bộ tiêu chí xác định Chỉ số cải cách hành chính của các xã, phường năm {year}"}
# days from today to each deadline: self-assessment, appraisal, explanation, second appraisal
DEADLINE_DAYS = {"self_until": 30, "appraisal_until": 60, "explanation_until": 75, "second_until": 90}
UNIT = "000.00.04.H38"  # Sở Tư pháp
OFFICER = "supervisor.stp"
# (number, declared, self-score, note): the unit's answers so far, the sheet not yet submitted
ANSWERS = [
    ("1.1.1", "Quyết định số 15/QĐ-STP ngày 10/01", 1, "Kế hoạch CCHC ban hành ngày 10/01, đúng thời hạn."),
    ("1.1.2", "18/18 nhiệm vụ (100%)", 1, "Hoàn thành 18/18 nhiệm vụ của kế hoạch."),
    ("1.1.3", "Chưa bố trí", 0, "Chưa có dự toán riêng cho công tác cải cách hành chính."),
    ("1.2.1", "4/4 báo cáo quý", 1, None),
]
EVIDENCE_FOR = "1.1.1"


def plan_pdf(agency_name: str, province_name: str, year: int) -> bytes:
    """The unit's yearly reform plan, the evidence of 1.1.1: a one-page plan in the house style."""
    width = content_width()
    ctx = {"parent_agency_name": province_name, "agency_name": agency_name, "place": "Lào Cai",
           "at": local(now()).replace(month=1, day=10)}
    tasks = ["Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền của Sở.",
             "Công khai đầy đủ, đúng hạn thủ tục hành chính trên Cổng dịch vụ công và tại bộ phận một cửa.",
             "Giải quyết hồ sơ đúng hạn; xin lỗi người dân đối với hồ sơ trễ hạn.",
             "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính; đẩy mạnh thanh toán trực tuyến.",
             "Kiểm tra công tác cải cách hành chính tại các phòng, đơn vị thuộc Sở."]
    flow = form_top(ctx, width, f"KẾ HOẠCH<br/>Cải cách hành chính năm {year}")
    flow += [para("Thực hiện Chỉ thị của Ủy ban nhân dân tỉnh về nâng cao Chỉ số cải cách hành chính, "
                  f"{agency_name} ban hành Kế hoạch cải cách hành chính năm {year} với các nhiệm vụ sau:", BODY)]
    flow += numbered(tasks)
    flow += [para("Các phòng, đơn vị thuộc Sở báo cáo kết quả thực hiện hằng quý về Văn phòng Sở.", BODY),
             signatures([None, ("Giám đốc", "(Ký, ghi rõ họ tên, đóng dấu)", "Nguyễn Văn Pháp")], width)]
    return build(flow, title=f"Kế hoạch cải cách hành chính năm {year}")


def load_par_index(agencies: dict, users: dict) -> None:
    """This year's sets, the round (self-assessment open for the next 30 days), Sở Tư pháp's answers so far."""
    year = local(now()).year
    for group, title in GROUP_TITLES.items():
        title = title.format(year=year)
        sets.import_set(f"phu-luc-{group}-{year}.xlsx", criteria_workbook(title=title), year, group, title=title,
                        survey_weight=SURVEY)
    today = local(now()).date()
    par_round = rounds.create_round(year, {name: today + timedelta(days=days) for name, days in DEADLINE_DAYS.items()},
                                    users["admin"])
    unit, officer = agencies[UNIT], users[OFFICER]
    for number, declared, score, note in ANSWERS:
        changes = {"declared": declared, "self_score": score} | ({"note": note} if note else {})
        sheets.update_answer(par_round, unit, number, changes, officer)
    sheets.update_answer(par_round, unit, "2.2.1", {"note": "Số liệu do hệ thống đo, đơn vị thống nhất."}, officer)
    sheets.add_evidence(par_round, unit, EVIDENCE_FOR, f"ke-hoach-cchc-{year}.pdf",
                        plan_pdf(unit.name, unit.parent.name, year), officer)
