"""What the unit will do about the points it lost (directive 09/CT-UBND, section 1.a: find "the contents that did
not reach the maximum score" and assign who fixes each): an action per lost sub-criterion with its owner and due
date, tracked to done. Written by the unit's reform officer (or the appraiser); no deadline locks them."""
from datetime import date

from flask_babel import gettext as _

from ..auth.models import Agency
from ..extensions import db
from ..timeutil import now
from . import rounds, sheets
from .models import ParAction, ParRound
from .points import ParError


def _writer(user, agency: Agency) -> None:
    if not (sheets.is_reform_officer(user, agency) or sheets.is_appraiser_of(user, agency)):
        raise ParError(_("Tài khoản không có quyền ghi biện pháp khắc phục của đơn vị này."), 403)


def add_action(par_round: ParRound, agency: Agency, number: str, text: str, owner: str, due_on, user) -> ParAction:
    """Record an action for a sub-criterion of the unit's sheet."""
    _writer(user, agency)
    text, owner = (str(value or "").strip() for value in (text, owner))
    if not text or not owner or len(text) > 4000 or len(owner) > 255:
        raise ParError(_("Biện pháp cần nội dung và người chịu trách nhiệm (tối đa 255 ký tự)."))
    if isinstance(due_on, str):
        try:
            due_on = date.fromisoformat(due_on.strip())
        except ValueError:
            due_on = None
    if not isinstance(due_on, date):
        raise ParError(_("Hạn hoàn thành phải là ngày (YYYY-MM-DD)."))
    sheet = rounds.open_sheet(par_round, agency)
    item = sheets.leaf(sheet, number)
    action = ParAction(sheet_id=sheet.id, item_id=item.id, text=text, owner=owner, due_on=due_on,
                       created_by_id=user.id, created_at=now())
    db.session.add(action)
    sheets.record_history(sheet, item, user, "actions", "action", None, text[:200])
    db.session.flush()
    return action


def mark_done(par_round: ParRound, agency: Agency, action_id: int, user, done: bool = True) -> ParAction:
    """Mark an action done (or not done again)."""
    _writer(user, agency)
    sheet = rounds.find_sheet(par_round, agency, lock=True)
    action = db.session.get(ParAction, action_id) if sheet is not None else None
    if action is None or action.sheet_id != sheet.id:
        raise ParError(_("Không tìm thấy biện pháp."), 404)
    old = action.done_at
    action.done_at = now() if done else None
    sheets.record_history(sheet, None, user, "actions", f"action {action.id} done", old and old.isoformat(),
                    action.done_at and action.done_at.isoformat())
    db.session.flush()
    return action
