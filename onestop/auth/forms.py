"""Sign-in and password forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms import NFCForm


class LoginForm(NFCForm, FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(message=_l("Nhập tên đăng nhập."))])
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
