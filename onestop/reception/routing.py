"""Where a file may be sent: the agencies and officers offered on the application page, and the check the
lifecycle makes whatever the caller (page, API or CLI) typed.

- The desk transfers (chuyển xử lý) to the agency that implements the procedure, or one of its units.
- A processing step hands the file within the processing agency and its units, up to the bodies above it (a
  department's file goes to the province's people's committee for signature), or back to the implementing
  agency's units.
"""
import sqlalchemy as sa

from ..auth.models import Agency, User, UserRole
from ..extensions import db
from .models import Application

RECEIVING_ROLES = ("officer", "supervisor")


def _subtree(agency: Agency | None) -> set[int]:
    return agency.descendant_ids() if agency is not None else set()


def _ancestors(agency: Agency | None) -> set[int]:
    found = set()
    while agency is not None and agency.parent is not None:
        agency = agency.parent
        found.add(agency.id)
    return found


def allowed_agency_ids(application: Application, event_type: str) -> set[int]:
    """The agencies a transfer or a step of this application may go to."""
    implementing = application.version.agency or application.agency
    allowed = _subtree(implementing)
    if event_type == "transfer":
        return allowed | {application.processing_agency_id} - {None}
    current = application.processing_agency or implementing
    return allowed | _subtree(current) | _ancestors(current)


def agencies(application: Application, event_type: str) -> list[Agency]:
    """The active agencies to choose from, the current processing agency first."""
    found = db.session.scalars(sa.select(Agency).where(
        Agency.id.in_(allowed_agency_ids(application, event_type)), Agency.active.is_(True))).all()
    return sorted(found, key=lambda agency: (agency.id != application.processing_agency_id, agency.code))


def officers(agency_ids) -> list[User]:
    """Active officers and supervisors of these agencies, who can take the file on."""
    query = (sa.select(User).join(UserRole, UserRole.user_id == User.id)
             .where(User.agency_id.in_(list(agency_ids)), User.active.is_(True), UserRole.role.in_(RECEIVING_ROLES))
             .distinct().order_by(User.agency_id, User.full_name))
    return db.session.scalars(query).all()


def choices(application: Application, event_type: str) -> dict:
    """What the page offers for a transfer or a step: agencies, and their officers grouped by agency."""
    found = agencies(application, event_type)
    people = officers(agency.id for agency in found)
    return {
        "agencies": found,
        "officers": [(agency, [user for user in people if user.agency_id == agency.id]) for agency in found],
    }
