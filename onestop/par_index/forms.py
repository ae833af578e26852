"""The province's PAR INDEX forms: a criteria set's Excel table, an empty set to type in, and a round with its
deadlines."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, NumberRange, Optional

from ..forms import NFCForm, options

GROUP_CHOICES = [("departments", _l("Sở, ban, ngành")), ("communes", _l("Xã, phường"))]
SURVEY_CHOICES = [("entered", _l("Nhập theo kết quả điều tra xã hội học")),
                  ("ratings", _l("Lấy từ đánh giá hài lòng trên hệ thống"))]


class NewSetForm(NFCForm, FlaskForm):
    """An empty set, typed in item by item on its page."""
    year = IntegerField(_l("Năm đánh giá"), validators=[DataRequired(message=_l("Nhập năm.")),
                                                       NumberRange(min=2000, max=2100, message=_l("Từ 2000 đến 2100."))])
    group = SelectField(_l("Nhóm đơn vị"), choices=options(GROUP_CHOICES))
    title = StringField(_l("Tên bộ tiêu chí (không bắt buộc)"))
    survey_weight = DecimalField(_l("Điểm điều tra xã hội học (ví dụ 30 trên 100)"), places=2, default=0,
                                 validators=[Optional(), NumberRange(min=0, max=100, message=_l("Từ 0 đến 100."))])


class ImportSetForm(NewSetForm):
    """A set from the province's table."""
    file = FileField(_l("Bảng tiêu chí (Excel .xlsx hoặc CSV, như phụ lục tỉnh ban hành)"),
                     validators=[FileRequired(message=_l("Chọn tệp."))])


class RoundForm(NFCForm, FlaskForm):
    year = IntegerField(_l("Năm đánh giá"), validators=[DataRequired(message=_l("Nhập năm.")),
                                                       NumberRange(min=2000, max=2100, message=_l("Từ 2000 đến 2100."))])
    self_until = DateField(_l("Hạn tự đánh giá"), validators=[DataRequired(message=_l("Nhập ngày."))])
    appraisal_until = DateField(_l("Hạn thẩm định"), validators=[DataRequired(message=_l("Nhập ngày."))])
    explanation_until = DateField(_l("Hạn giải trình"), validators=[DataRequired(message=_l("Nhập ngày."))])
    second_until = DateField(_l("Hạn thẩm định lại"), validators=[DataRequired(message=_l("Nhập ngày."))])
    survey_source = SelectField(_l("Điểm điều tra xã hội học"), choices=options(SURVEY_CHOICES))
