"""Calendar admin forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, IntegerField, SelectField, StringField, TimeField
from wtforms.validators import DataRequired, NumberRange, Optional

from ..forms import NFCForm, options

KINDS = [("off", _l("Nghỉ thêm")), ("work", _l("Làm bù")), ("half_off_morning", _l("Nghỉ buổi sáng")),
         ("half_off_afternoon", _l("Nghỉ buổi chiều"))]
UNITS = [("working_days", _l("ngày làm việc")), ("calendar_days", _l("ngày")),
         ("working_hours", _l("giờ làm việc")), ("same_day", _l("trong ngày"))]


class OverrideForm(NFCForm, FlaskForm):
    day = DateField(_l("Ngày"), validators=[DataRequired(message=_l("Chọn ngày."))])
    kind = SelectField(_l("Loại"), choices=options(KINDS))
    note = StringField(_l("Ghi chú"), validators=[Optional()])


class HoursForm(FlaskForm):
    valid_from = DateField(_l("Áp dụng từ ngày"), validators=[DataRequired(message=_l("Chọn ngày."))])
    morning_start = TimeField(_l("Sáng từ"), validators=[DataRequired(message=_l("Nhập giờ."))])
    morning_end = TimeField(_l("Sáng đến"), validators=[DataRequired(message=_l("Nhập giờ."))])
    afternoon_start = TimeField(_l("Chiều từ"), validators=[DataRequired(message=_l("Nhập giờ."))])
    afternoon_end = TimeField(_l("Chiều đến"), validators=[DataRequired(message=_l("Nhập giờ."))])


class PreviewForm(FlaskForm):
    class Meta:
        csrf = False

    received_at = DateTimeLocalField(_l("Thời điểm nhận"), format="%Y-%m-%dT%H:%M",
                                     validators=[DataRequired(message=_l("Nhập thời điểm nhận."))])
    amount = IntegerField(_l("Thời hạn"), default=3, validators=[
        NumberRange(min=0, max=3650, message=_l("Từ 0 đến 3650."))])
    unit = SelectField(_l("Đơn vị"), choices=options(UNITS))
