"""Every change to saved committee reports: commentary per section and finalising. Pages, API and CLI
call these; each runs in one transaction and is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.utils import timezone

from onesource.core.audit import action, record_event
from onesource.core.models import Partner
from onesource.core.reporting import REPORT_SECTIONS
from onesource.core.roles import Capability
from onesource.core.scoping import scope_for
from onesource.reports.committee import build_committee_report, frozen_sections
from onesource.reports.models import CommitteeReportVersion, ReportStatus

COMMENTARY_MAX_LENGTH = 10_000


def may_write_report(user: Any, partner: Partner) -> bool:
    return scope_for(user).has(Capability.WRITE_REPORTS, partner.pk)


def _check_may_write(user: Any, partner: Partner) -> None:
    if not may_write_report(user, partner):
        raise PermissionDenied(f"You may not write or finalise {partner.name}'s committee report.")


def versions_of(partner: Partner, start: dt.date, end: dt.date, user: Any) -> list[CommitteeReportVersion]:
    """The saved versions of the partner's report for the period, newest first."""
    return list(
        CommitteeReportVersion.objects.restrict(user, Capability.VIEW_REPORTS)
        .filter(partner=partner, start=start, end=end)
        .select_related("partner", "created_by", "finalised_by")
        .order_by("-number")
    )


def current_draft(partner: Partner, start: dt.date, end: dt.date) -> CommitteeReportVersion | None:
    return CommitteeReportVersion.objects.filter(
        partner=partner, start=start, end=end, status=ReportStatus.DRAFT
    ).first()


def _open_draft(partner: Partner, start: dt.date, end: dt.date, acting_user: Any) -> CommitteeReportVersion:
    """The period's draft, or a new one carrying on from the latest final's commentary."""
    draft = current_draft(partner, start, end)
    if draft is not None:
        return draft
    same_period = CommitteeReportVersion.objects.filter(partner=partner, start=start, end=end)
    latest_final = same_period.filter(status=ReportStatus.FINAL).order_by("-number").first()
    number = (same_period.aggregate(last=Max("number"))["last"] or 0) + 1
    return CommitteeReportVersion.objects.create(
        partner=partner,
        start=start,
        end=end,
        number=number,
        status=ReportStatus.DRAFT,
        commentary=dict(latest_final.commentary) if latest_final else {},
        created_by=acting_user,
    )


def _check_period(start: dt.date, end: dt.date) -> None:
    if start > end:
        raise ValidationError({"end": "The end date must be the same as or after the start date."})


@action
def save_commentary(
    partner: Partner,
    start: dt.date,
    end: dt.date,
    *,
    section_key: str,
    text: str,
    acting_user: Any,
) -> CommitteeReportVersion:
    """Set the officers' commentary on one section of the draft (blank text removes it)."""
    _check_may_write(acting_user, partner)
    _check_period(start, end)
    if section_key not in REPORT_SECTIONS:
        raise ValidationError({"section": f"There is no section “{section_key}” in the committee report."})
    text = text.strip()
    if len(text) > COMMENTARY_MAX_LENGTH:
        raise ValidationError(
            {"commentary": f"Commentary must be {COMMENTARY_MAX_LENGTH:,} characters or fewer"}
        )
    draft = _open_draft(partner, start, end, acting_user)
    commentary = dict(draft.commentary)
    if text:
        commentary[section_key] = text
    else:
        commentary.pop(section_key, None)
    draft.commentary = commentary
    draft.save()
    record_event(
        "reports.commentary_saved",
        draft,
        acting_user=acting_user,
        partner=partner,
        data={"section": REPORT_SECTIONS[section_key].title, "version": draft.number},
    )
    return draft


@action
def finalise_report(
    partner: Partner, start: dt.date, end: dt.date, *, acting_user: Any
) -> CommitteeReportVersion:
    """Freeze the draft (or, with none, the report as it stands) as the next final version."""
    _check_may_write(acting_user, partner)
    _check_period(start, end)
    draft = _open_draft(partner, start, end, acting_user)
    report = build_committee_report(
        partner, start, end, acting_user, for_print=True, commentary=draft.commentary
    )
    draft.frozen_sections = frozen_sections(report)
    draft.status = ReportStatus.FINAL
    draft.finalised_by = acting_user
    draft.finalised_at = timezone.now()
    draft.save()
    record_event(
        "reports.finalised",
        draft,
        acting_user=acting_user,
        partner=partner,
        data={"version": draft.number, "sections": len(report.sections)},
    )
    return draft
