"""Sign-in and password forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from ..forms import NFCForm, options


class UserName:
    """A name an account could have: at most 64 characters, no control characters."""

    def __call__(self, form, field):
        from .services import username_problem

        problem = username_problem(field.data)
        if problem:
            raise ValidationError(problem)


class LoginForm(NFCForm, FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(message=_l("Nhập tên đăng nhập.")),
                                                             UserName()])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(message=_l("Nhập mật khẩu."))])


class ChangePasswordForm(NFCForm, FlaskForm):
    old_password = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(message=_l("Nhập mật khẩu hiện tại."))])
    new_password = PasswordField(
        _l("Mật khẩu mới"),
        validators=[
            DataRequired(message=_l("Nhập mật khẩu mới.")),
            Length(min=8, message=_l("Mật khẩu phải có ít nhất 8 ký tự.")),
        ],
    )
    confirm = PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[EqualTo("new_password", message=_l("Hai lần nhập mật khẩu mới không khớp."))],
    )


ROLE_CHOICES = [("admin", _l("Quản trị")), ("supervisor", _l("Lãnh đạo")), ("clerk", _l("Cán bộ một cửa")),
                ("officer", _l("Chuyên viên xử lý")), ("appraiser", _l("Thẩm định CCHC (Sở Nội vụ)"))]
LEVEL_CHOICES = [("province", _l("Cấp tỉnh")), ("commune", _l("Cấp xã"))]
LEGACY_LEVEL_CHOICE = ("district", _l("Cấp huyện (trước 01/7/2025)"))


def at_most(n: int):
    return Length(max=n, message=_l("Tối đa %(max)d ký tự."))


class AgencyForm(NFCForm, FlaskForm):
    code = StringField(_l("Mã định danh"), validators=[DataRequired(message=_l("Nhập mã định danh.")), at_most(13)])
    name = StringField(_l("Tên cơ quan"), validators=[DataRequired(message=_l("Nhập tên cơ quan.")), at_most(255)])
    level = SelectField(_l("Cấp"), choices=options(LEVEL_CHOICES))
    parent_code = SelectField(_l("Cơ quan cấp trên"), choices=[], validate_choice=False)
    address = StringField(_l("Địa chỉ"), validators=[at_most(255)])
    phone = StringField(_l("Điện thoại"), validators=[at_most(32)])


class UserForm(NFCForm, FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(message=_l("Nhập tên đăng nhập.")),
                                                             UserName()])
    full_name = StringField(_l("Họ và tên"), validators=[DataRequired(message=_l("Nhập họ và tên.")), at_most(255)])
    agency_code = SelectField(_l("Cơ quan"), choices=[], validate_choice=False)
    roles = SelectMultipleField(_l("Vai trò"), choices=options(ROLE_CHOICES), validators=[
        DataRequired(message=_l("Chọn ít nhất một vai trò."))])
    email = StringField(_l("Thư điện tử"), validators=[at_most(255)])
    phone = StringField(_l("Điện thoại"), validators=[at_most(32)])
    active = BooleanField(_l("Đang hoạt động"), default=True)
    password = PasswordField(_l("Mật khẩu mới (để trống nếu không đổi)"), validators=[
        Optional(), Length(min=8, message=_l("Mật khẩu phải có ít nhất 8 ký tự."))])
