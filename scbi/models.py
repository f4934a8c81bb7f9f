"""Every feature's models, imported in one place (what Alembic compares against)."""

from scbi.audit import AuditChainHead, AuditEvent
from scbi.auth.models import (
    AccountLink,
    ApiToken,
    LoginClientThrottle,
    LoginThrottle,
    User,
    UserRole,
)
from scbi.coaches.models import Coach
from scbi.competencies.models import Assessment, LevelChange, assessment_log
from scbi.database import Base
from scbi.engagements.models import (
    CheckInProgressFlag,
    Engagement,
    EngagementCheckIn,
    EngagementMember,
    EngagementObjective,
)
from scbi.exchanges.models import (
    Exchange,
    ExchangeAction,
    ExchangeParticipant,
    ExchangePlanLink,
    ExchangeReflection,
    exchange_competency,
    exchange_result,
    exchange_sector,
)
from scbi.lessons.models import LessonTag
from scbi.mail import MailMessage, MailReminder
from scbi.mentees.models import Mentee, MenteeStatusChange
from scbi.partners.models import (
    ContractFunding,
    ExchangeRate,
    FundingMonth,
    Partner,
    PartnerAccount,
)
from scbi.programme.models import (
    Competency,
    CompetencyFramework,
    CoreChange,
    Indicator,
    IndicatorValue,
    Institution,
    Phase,
    PriorityResult,
    PriorityResultStatus,
    Sector,
    SectorRule,
    coordinator_sector,
)
from scbi.reports.models import PublishedReport
from scbi.retention.models import FollowUp
from scbi.transfer.models import (
    Evidence,
    LogEvent,
    LogMonth,
    LogSession,
    Pairing,
    PlanItem,
    TransferLog,
    TransferPlan,
    log_competency,
)

__all__ = [
    "AccountLink",
    "ApiToken",
    "Assessment",
    "AuditChainHead",
    "AuditEvent",
    "Base",
    "CheckInProgressFlag",
    "Coach",
    "Competency",
    "CompetencyFramework",
    "ContractFunding",
    "CoreChange",
    "Engagement",
    "EngagementCheckIn",
    "EngagementMember",
    "EngagementObjective",
    "Evidence",
    "Exchange",
    "ExchangeAction",
    "ExchangeParticipant",
    "ExchangePlanLink",
    "ExchangeRate",
    "ExchangeReflection",
    "FollowUp",
    "FundingMonth",
    "Indicator",
    "IndicatorValue",
    "Institution",
    "LessonTag",
    "LevelChange",
    "LogEvent",
    "LogMonth",
    "LogSession",
    "LoginClientThrottle",
    "LoginThrottle",
    "MailMessage",
    "MailReminder",
    "Mentee",
    "MenteeStatusChange",
    "Pairing",
    "Partner",
    "PartnerAccount",
    "Phase",
    "PlanItem",
    "PriorityResult",
    "PriorityResultStatus",
    "PublishedReport",
    "Sector",
    "SectorRule",
    "TransferLog",
    "TransferPlan",
    "User",
    "UserRole",
    "assessment_log",
    "coordinator_sector",
    "exchange_competency",
    "exchange_result",
    "exchange_sector",
    "log_competency",
]
