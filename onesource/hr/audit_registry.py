"""HR casework in the audit trail: every change recorded, shown only to those who do casework;
reads shown only to auditors."""

from auditlog.registry import auditlog

from onesource.core.audit_display import register_event_kind, register_restricted_model
from onesource.core.roles import Capability
from onesource.hr.confidentiality import CASE_READ_EVENT, CASES_LISTED_EVENT
from onesource.hr.models import (
    Allegation,
    Case,
    CaseKind,
    CaseParty,
    CaseworkSetting,
    CloseReason,
    Evidence,
    Hearing,
    Interview,
    Letter,
    PartyRole,
    Stage,
    StageEntry,
    Suspension,
    SuspensionReview,
)

# Free text (summaries, allegations, notes) is never copied into the change log: the log says that a
# record changed and who changed it; the case itself holds what it says.
auditlog.register(
    Case,
    include_fields=[
        "reference",
        "kind",
        "stage",
        "employing_partner",
        "service",
        "opened_on",
        "closed_on",
        "outcome",
        "appeal_outcome",
        "mediation_outcome",
        "close_reason",
    ],
)
auditlog.register(CaseParty, include_fields=["case", "role", "partner"])
auditlog.register(Allegation, include_fields=["case", "finding"])
auditlog.register(Interview, include_fields=["case", "held_on"])
auditlog.register(Evidence, include_fields=["case", "title", "received_on", "sent_to_employee_on"])
auditlog.register(
    Hearing, include_fields=["case", "kind", "scheduled_for", "status", "companion_unavailable"]
)
auditlog.register(Suspension, include_fields=["case", "starts_on", "ends_on", "next_review_on"])
auditlog.register(SuspensionReview, include_fields=["case", "reviewed_on", "continued"])
auditlog.register(Letter, include_fields=["case", "kind", "dated"])
auditlog.register(StageEntry, include_fields=["case", "stage", "entered_on"])
auditlog.register(CaseworkSetting, serialize_data=True)

for model in (
    Case,
    CaseParty,
    Allegation,
    Interview,
    Evidence,
    Hearing,
    Suspension,
    SuspensionReview,
    Letter,
    StageEntry,
):
    register_restricted_model(model, Capability.MANAGE_CASEWORK)

_stage_words = Stage.choices
register_event_kind(
    "hr_case.opened",
    "Case opened",
    data_labels={"kind": "Kind", "opened_on": "Opened on"},
    data_choices={"kind": CaseKind.choices},
    restricted_to=Capability.MANAGE_CASEWORK,
)
register_event_kind(
    "hr_case.stage",
    "Case moved on",
    data_labels={"from": "From", "to": "To", "on": "On", "reason": "Reason"},
    data_choices={"from": _stage_words, "to": _stage_words, "reason": CloseReason.choices},
    restricted_to=Capability.MANAGE_CASEWORK,
)
register_event_kind(
    "hr_case.party_added",
    "Party added",
    data_labels={"role": "Role"},
    data_choices={"role": PartyRole.choices},
    restricted_to=Capability.MANAGE_CASEWORK,
)
register_event_kind(
    "hr_case.party_removed",
    "Party removed",
    data_labels={"role": "Role"},
    data_choices={"role": PartyRole.choices},
    restricted_to=Capability.MANAGE_CASEWORK,
)
register_event_kind(
    "hr_case.suspended",
    "Suspended on full pay",
    data_labels={"starts_on": "From"},
    restricted_to=Capability.MANAGE_CASEWORK,
)
register_event_kind(
    "hr_case.hearing_postponed",
    "Hearing moved",
    data_labels={"companion_unavailable": "Companion could not come", "latest": "Latest day allowed"},
    restricted_to=Capability.MANAGE_CASEWORK,
)
# Who looked at which case is for auditors, as with health records.
_via = [
    ("page", "the case page"),
    ("api", "the API"),
    ("cli", "the command line"),
    ("letter", "a letter"),
    ("list", "the list of cases"),
    ("csv", "a CSV download"),
]
register_event_kind(
    CASE_READ_EVENT,
    "Case opened for reading",
    data_labels={"reference": "Case", "via": "Through"},
    data_choices={"via": _via},
    restricted_to=Capability.VIEW_AUDIT,
)
register_event_kind(
    CASES_LISTED_EVENT,
    "Cases listed",
    data_labels={"references": "Cases", "via": "Through"},
    data_choices={"via": _via},
    restricted_to=Capability.VIEW_AUDIT,
)
