"""Imports every core model so metadata (and Alembic autogenerate) sees all core tables."""

from forum.accounts.models import Role, User, user_roles  # noqa: F401
from forum.api.models import ApiToken  # noqa: F401
from forum.discussion.models import Comment  # noqa: F401
from forum.jobs.models import JobSchedule  # noqa: F401
from forum.kernel.models import PluginState, SiteSetting  # noqa: F401
from forum.moderation.models import AuditEntry, Flag  # noqa: F401
from forum.notifications.models import (  # noqa: F401
    DigestItem,
    MailOptOut,
    MailPreference,
    Notification,
    OutboxMail,
    ThreadRead,
    Watch,
)
from forum.series.models import (  # noqa: F401
    Characteristic,
    ExpertProfile,
    Invitation,
    Part,
    PartRevision,
    PromptQuestion,
    Series,
)
