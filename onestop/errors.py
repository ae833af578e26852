"""Error pages for people, JSON errors for the API; a 500 rolls the session back."""
from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db
from .inputs import InputError, has_bad_characters, page_number

MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    401: "Cần đăng nhập.",
    403: "Bạn không có quyền truy cập trang này.",
    404: "Không tìm thấy trang hoặc hồ sơ.",
    405: "Phương thức không được hỗ trợ.",
    409: "Thao tác không phù hợp với trạng thái hiện tại.",
    413: "Tệp gửi lên quá lớn.",
    429: "Bạn đã thử quá nhiều lần. Vui lòng đợi ít phút rồi thử lại.",
    500: "Đã có lỗi trong hệ thống. Dữ liệu chưa được lưu; vui lòng thử lại.",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str | None = None, **extra):
    message = message or _(MESSAGES.get(status, MESSAGES[400]))
    if wants_json():
        return jsonify(error=message, status=status, **extra), status
    return render_template("error.html", status=status, message=message), status


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def bad_characters_in_request() -> bool:
    """A NUL or other control character in the path, the query string or a form field (tab and line breaks are
    fine in a form's text area). Bytes that are not UTF-8 arrive as U+FFFD, which is harmless."""
    if has_bad_characters(request.path):
        return True
    if any(has_bad_characters(key) or has_bad_characters(value) for key, value in request.args.items(multi=True)):
        return True
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in FORM_TYPES:
        # a multipart part whose name or body cannot be read arrives as None
        return any(has_bad_characters(key or "") or has_bad_characters(value or "", multiline=True)
                   for key, value in request.form.items(multi=True))
    return False


def init_app(app):
    from .api import ApiError

    @app.before_request
    def refuse_bad_characters():
        if bad_characters_in_request():
            return error_response(400, _("Địa chỉ hoặc dữ liệu gửi lên chứa ký tự điều khiển hoặc ký tự không hợp lệ."))
        try:  # every list's ?page= (Flask-SQLAlchemy's paginate reads it itself)
            page_number(request.args.get("page"))
        except InputError as error:
            return error_response(400, error.message)

    @app.errorhandler(ApiError)
    def api_error(error):
        return error_response(error.status, error.message, **error.extra)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        if wants_json() and not current_user.is_authenticated:  # a cookie that signs nobody in is no credential
            return error_response(401, _("Cần đăng nhập hoặc mã truy cập (Authorization: Bearer …) hợp lệ."))
        return error_response(400, _("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang và thử lại."))

    @app.errorhandler(HTTPException)
    def http_error(error):
        # A view that aborts with its own description says it in Vietnamese; werkzeug's defaults are English.
        description = error.description if error.description != type(error).description else None
        if error.code == 429:  # Flask-Limiter describes the limit in English ("3 per 1 minute")
            description = None
        body, status = error_response(error.code or 500, description)
        # werkzeug's own headers say what the client can do next: Allow on a 405, WWW-Authenticate on a 401
        kept = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
        return body, status, kept

    @app.errorhandler(Exception)
    def server_error(error):
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500)
