"""The JSON API under /api/v1: bearer token or session, JSON in and out, JSON errors.

This package holds what every feature's API shares (errors, the JSON body, the login check) and the API's own
routes (tokens, the OpenAPI document). Each feature makes its own blueprint with `api_blueprint` and
`create_app` registers it: this package imports no feature.
"""
from functools import wraps

from flask import Blueprint, abort, request
from flask_babel import gettext as _
from flask_login import current_user

from .. import inputs

PREFIX = "/api/v1"


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """A feature's API blueprint under /api/v1 (its errors are answered as JSON by onestop.errors)."""
    return Blueprint(name, import_name, url_prefix=PREFIX)


bp = api_blueprint("api", __name__)


class ApiError(Exception):
    """An error answered as JSON {"error": message} with its status code."""

    def __init__(self, message: str, status: int = 400, **extra):
        super().__init__(message)
        self.message, self.status, self.extra = message, status, extra


def json_body(allowed: set[str] | frozenset[str] | None = None, scan: bool = True) -> dict:
    """The request's JSON object, or a 400 that says what is wrong: strict JSON (no NaN or Infinity), no control
    character or lone surrogate in any string (unless `scan` is off: the token endpoint answers those itself), and
    with `allowed`, no key outside it (an undocumented key is refused, never stored or printed)."""
    data = None
    if request.is_json:
        try:
            data = inputs.strict_json(request.get_data(cache=True))
        except RecursionError:  # nested deeper than the parser goes: not a body anyone means to send
            raise ApiError(_("Nội dung JSON lồng nhau quá sâu."), 400) from None
        except inputs.InputError as error:
            raise ApiError(error.message, 400) from None
        except ValueError:
            data = None
    if not isinstance(data, dict):
        raise ApiError(_("Nội dung yêu cầu phải là một đối tượng JSON."), 400)
    if scan and (where := inputs.first_bad_string(data)) is not None:
        raise ApiError(_("«%(field)s» chứa ký tự điều khiển hoặc ký tự không hợp lệ.", field=where), 400)
    if allowed is not None and (unknown := sorted(set(data) - set(allowed))):
        raise ApiError(_("Khóa không được hỗ trợ: %(keys)s.", keys=", ".join(unknown)), 400)
    return data


def int_arg(name: str, default: int, minimum: int, maximum: int) -> int:
    """A whole-number query parameter brought within its bounds; a 400 that names it when it is not a whole number
    (never a silent default)."""
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return default
    if not raw.lstrip("+-").isdecimal() or not raw.isascii():
        raise ApiError(_("«%(name)s» phải là số nguyên.", name=name), 400)
    return max(minimum, min(int(raw), maximum))


def api_login_required(*roles: str):
    """401 without a valid token or session; 403 without one of the roles (if any are named)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                raise ApiError(_("Cần đăng nhập hoặc mã truy cập (Authorization: Bearer …) hợp lệ."), 401)
            if roles and not current_user.has_role(*roles):
                raise ApiError(_("Tài khoản không có quyền thực hiện thao tác này."), 403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def not_found():
    abort(404)


from . import openapi, tokens  # noqa: E402,F401  (routes register on bp)
