"""The procedure edit form; documents are typed one per line: name | bản chính/bản sao | số bản."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional

from ..forms import NFCForm, options

UNITS = [("working_days", _l("ngày làm việc")), ("calendar_days", _l("ngày")),
         ("working_hours", _l("giờ làm việc")), ("same_day", _l("trong ngày"))]
ONLINE = [("full", _l("Toàn trình")), ("partial", _l("Một phần")), ("none", _l("Không"))]
LEVELS = [("province", _l("Cấp tỉnh")), ("district", _l("Cấp huyện")), ("commune", _l("Cấp xã")),
          ("shared", _l("Áp dụng chung"))]
STATUSES = [("in_force", _l("Đang áp dụng")), ("suspended", _l("Tạm ngưng")), ("abolished", _l("Đã bãi bỏ"))]
PUBLICATIONS = [("in_force", _l("Có hiệu lực từ ngày dưới đây")), ("draft", _l("Lưu bản nháp (chưa áp dụng)"))]


class ProcedureForm(NFCForm, FlaskForm):
    code = StringField(_l("Mã thủ tục"), validators=[DataRequired(message=_l("Nhập mã thủ tục."))])
    name = TextAreaField(_l("Tên thủ tục"), validators=[DataRequired(message=_l("Nhập tên thủ tục."))])
    field = StringField(_l("Lĩnh vực"), validators=[DataRequired(message=_l("Nhập lĩnh vực."))])
    agency_code = SelectField(_l("Cơ quan thực hiện"), choices=[], validate_choice=False)
    level = SelectField(_l("Cấp thực hiện"), choices=options(LEVELS))
    time_amount = IntegerField(_l("Thời hạn giải quyết"), validators=[
        Optional(), NumberRange(min=0, max=3650, message=_l("Từ 0 đến 3650."))])
    time_unit = SelectField(_l("Đơn vị"), choices=options(UNITS))
    same_day_cutoff = StringField(_l("Giờ tiếp nhận cuối (thủ tục trong ngày)"), validators=[Optional()])
    time_note = TextAreaField(_l("Thời hạn dài hơn cho trường hợp đặc biệt hoặc theo thỏa thuận (hiện cho bộ phận "
                                 "một cửa khi tiếp nhận)"))
    fee = IntegerField(_l("Phí, lệ phí (đồng; để trống khi văn bản không ghi mức phí)"), default=0, validators=[
        Optional(), NumberRange(min=0, message=_l("Không được âm."))])
    fee_text = StringField(_l("Phí, lệ phí (như công bố)"))
    online = SelectField(_l("Dịch vụ công trực tuyến"), choices=options(ONLINE))
    online_payment = BooleanField(_l("Thanh toán trực tuyến"))
    sets = IntegerField(_l("Số bộ hồ sơ"), default=1, validators=[
        Optional(), NumberRange(min=1, max=50, message=_l("Từ 1 đến 50."))])
    documents = TextAreaField(_l("Thành phần hồ sơ (mỗi dòng: tên | bản chính/bản sao | số bản)"))
    applicants = TextAreaField(_l("Đối tượng thực hiện"))
    steps = TextAreaField(_l("Trình tự thực hiện"))
    result = TextAreaField(_l("Kết quả"))
    has_result_paper = BooleanField(_l("Kết quả là giấy tờ (được số hóa khi có kết quả)"), default=True)
    conditions = TextAreaField(_l("Yêu cầu, điều kiện"))
    legal_basis = TextAreaField(_l("Căn cứ pháp lý"))
    where_to_apply = TextAreaField(_l("Nơi nộp hồ sơ"))
    decision_number = StringField(_l("Số quyết định công bố"))
    decision_date = DateField(_l("Ngày quyết định"), validators=[Optional()])
    decision_signer = StringField(_l("Người ký quyết định (chức vụ, cơ quan)"))
    code_suffix = StringField(_l("Hậu tố mã trên cổng dịch vụ công (ví dụ 000.00.00.H61)"))
    status = SelectField(_l("Trạng thái"), choices=options(STATUSES))
    version_status = SelectField(_l("Phiên bản này"), choices=options(PUBLICATIONS), default="in_force")
    effective_from = DateField(_l("Có hiệu lực từ ngày (để trống: từ hôm nay)"), validators=[Optional()])


class ImportForm(FlaskForm):
    file = FileField(_l("Tệp CSV, Excel (.xlsx) hoặc JSON"), validators=[FileRequired(message=_l("Chọn tệp."))])
    agency_code = SelectField(_l("Cơ quan thực hiện mặc định (bảng phụ lục)"), choices=[], validate_choice=False)
    field = StringField(_l("Lĩnh vực mặc định"))
    level = SelectField(_l("Cấp mặc định"), choices=options(LEVELS))
    dry_run = BooleanField(_l("Chạy thử (tệp xuất từ phần mềm; bảng phụ lục luôn được xem lại trước khi nhập)"),
                           default=True)
