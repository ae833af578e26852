"""Every model, imported in one place so the metadata (create_all, Alembic) knows all tables."""
from .auth.models import Agency, ApiToken, AuditLog, RateCounter, User, UserRole  # noqa: F401
from .calendar.models import CalendarOverride, WorkingHours  # noqa: F401
from .files.models import StoredFile  # noqa: F401
from .procedures.models import CatalogueUpload, Procedure, ProcedureDocument, ProcedureVersion  # noqa: F401
from .reception.models import Application, ApplicationEvent, DailySequence, DeskSlip  # noqa: F401
from .reception.online_models import Submission, SubmissionEvent, SubmissionPaper  # noqa: F401
from .reception.paper_models import ApplicationPaper, PaperFile, ResultDocument, StoredPaper  # noqa: F401
from .reception.models import Application, ApplicationEvent, ApplicationFee, DailySequence, DeskSlip  # noqa: F401
from .fees.models import DayClose, Payment, Receipt, ReceiptCancellation, ReceiptSeries, Refund  # noqa: F401
from .settings import Setting  # noqa: F401
from .tracking.models import Complaint, ComplaintEvent, ComplaintSequence, Rating  # noqa: F401
from .tracking.supervision.digest import DigestSubscription  # noqa: F401
from .tracking.supervision.rollups import LateRecord, Rollup, RollupDuration, StageWatch  # noqa: F401
from .outbox.models import OutboxMessage  # noqa: F401
from .par_index.models import (ParAction, ParAdjustment, ParAnswer, ParEvidence, ParHistory, ParItem,  # noqa: F401
                                ParRound, ParSet, ParSheet)
from .tracking.supervision.index766_rules import Index766Rule, Index766Version  # noqa: F401
