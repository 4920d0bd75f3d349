"""HR casework by the Acas Code of Practice: cases, their parties, allegations, investigation,
hearings, suspensions, decisions, appeals, mediation and the letters sent.

A case belongs to the council that employs the employee it is about (its policy applies); the
complainant, witnesses and managers may be employed by other councils. Case data is special category
personal data: `Case.objects.restrict` gives a user only the cases of the partners they do casework
for, and the cases they are assigned to (see `CaseQuerySet`). Nothing a case holds is named in its
`__str__`, which the audit trail shows to auditors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from onesource.core.roles import Capability
from onesource.core.scoping import ScopedQuerySet, scope_for
from onesource.core.workingdays import calendar_for


class CaseKind(models.TextChoices):
    DISCIPLINARY = "disciplinary", "Disciplinary"
    GRIEVANCE = "grievance", "Grievance"
    CAPABILITY = "capability", "Capability"
    BULLYING_HARASSMENT = "bullying_harassment", "Bullying and harassment"
    MEDIATION = "mediation", "Mediation"


class Stage(models.TextChoices):
    RAISED = "raised", "Raised"
    INVESTIGATION = "investigation", "Investigation"
    INVITATION = "invitation", "Invited to a hearing"
    HEARING = "hearing", "Hearing"
    DECISION = "decision", "Decision"
    APPEAL = "appeal", "Appeal"
    MEDIATION = "mediation", "In mediation"
    CLOSED = "closed", "Closed"


# The Acas order for a formal case, and mediation's own shorter route.
FORMAL_STAGES = [
    Stage.RAISED,
    Stage.INVESTIGATION,
    Stage.INVITATION,
    Stage.HEARING,
    Stage.DECISION,
    Stage.APPEAL,
    Stage.CLOSED,
]
MEDIATION_STAGES = [Stage.RAISED, Stage.MEDIATION, Stage.CLOSED]


class Outcome(models.TextChoices):
    NO_ACTION = "no_action", "No action"
    FIRST_WRITTEN_WARNING = "first_written_warning", "First written warning"
    FINAL_WRITTEN_WARNING = "final_written_warning", "Final written warning"
    DISMISSAL = "dismissal", "Dismissal"
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    OTHER = "other", "Other"


# Sanctions are for an employee's conduct or capability; a complaint (grievance, bullying and
# harassment) is upheld or not.
SANCTION_OUTCOMES = {
    Outcome.NO_ACTION,
    Outcome.FIRST_WRITTEN_WARNING,
    Outcome.FINAL_WRITTEN_WARNING,
    Outcome.DISMISSAL,
    Outcome.OTHER,
}
COMPLAINT_OUTCOMES = {Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.NOT_UPHELD, Outcome.OTHER}
COMPLAINT_KINDS = {CaseKind.GRIEVANCE, CaseKind.BULLYING_HARASSMENT}


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Appeal upheld: the decision is overturned"
    PARTLY_UPHELD = "partly_upheld", "Appeal partly upheld: the decision is changed"
    NOT_UPHELD = "not_upheld", "Appeal not upheld: the decision stands"


class MediationOutcome(models.TextChoices):
    RESOLVED = "resolved", "Resolved"
    PARTLY_RESOLVED = "partly_resolved", "Partly resolved"
    NOT_RESOLVED = "not_resolved", "Not resolved"


class CloseReason(models.TextChoices):
    CONCLUDED = "concluded", "Concluded"
    WITHDRAWN = "withdrawn", "Withdrawn"
    RESOLVED_INFORMALLY = "resolved_informally", "Resolved informally"
    REFERRED_TO_MEDIATION = "referred_to_mediation", "Referred to mediation"
    EMPLOYEE_LEFT = "employee_left", "The employee left"


class PartyRole(models.TextChoices):
    EMPLOYEE = "employee", "Employee"
    COMPLAINANT = "complainant", "Complainant"
    WITNESS = "witness", "Witness"
    COMPANION = "companion", "Companion"
    INVESTIGATING_OFFICER = "investigating_officer", "Investigating officer"
    HEARING_MANAGER = "hearing_manager", "Hearing manager"
    APPEAL_MANAGER = "appeal_manager", "Appeal manager"
    MEDIATOR = "mediator", "Mediator"
    CASEWORKER = "caseworker", "HR caseworker"


# Those who decided or looked into the case before an appeal; the appeal manager must be none of them.
INVOLVED_BEFORE_APPEAL = {
    PartyRole.EMPLOYEE,
    PartyRole.COMPLAINANT,
    PartyRole.WITNESS,
    PartyRole.COMPANION,
    PartyRole.INVESTIGATING_OFFICER,
    PartyRole.HEARING_MANAGER,
}


class CompanionKind(models.TextChoices):
    COLLEAGUE = "colleague", "A colleague"
    UNION_REPRESENTATIVE = "union_representative", "A trade union representative"
    UNION_OFFICIAL = "union_official", "An official employed by a trade union"


class CaseQuerySet(ScopedQuerySet):
    def restrict(self, user: Any, capability: Capability | str = Capability.MANAGE_CASEWORK) -> CaseQuerySet:
        """The cases the user may see, whatever capability is asked for: those of the partners they
        do casework for, and those they are a party to with their own account."""
        scope = scope_for(user)
        partners = scope.partners_with(Capability.MANAGE_CASEWORK)
        if partners is None:
            return self
        if scope.user_id is None:
            return self.none()
        assigned = Q(Exists(CaseParty.objects.filter(case=OuterRef("pk"), user_id=scope.user_id)))
        return self.filter(Q(employing_partner_id__in=partners) | assigned)


class Case(models.Model):
    reference = models.CharField(max_length=30, unique=True)
    kind = models.CharField(max_length=30, choices=CaseKind.choices)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.RAISED)
    employing_partner = models.ForeignKey(
        "core.Partner",
        on_delete=models.PROTECT,
        related_name="hr_cases",
        verbose_name="employing council",
        help_text="The council employing the employee: its policy applies.",
    )
    service = models.ForeignKey(
        "core.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="hr_cases"
    )
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    summary = models.TextField(help_text="What the case is about, in a few sentences.")
    terms_of_reference = models.TextField(blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_note = models.TextField(blank=True)
    appeal_lodged_on = models.DateField(null=True, blank=True)
    appeal_outcome = models.CharField(max_length=20, choices=AppealOutcome.choices, blank=True)
    appeal_outcome_on = models.DateField(null=True, blank=True)
    mediation_outcome = models.CharField(max_length=20, choices=MediationOutcome.choices, blank=True)
    close_reason = models.CharField(max_length=30, choices=CloseReason.choices, blank=True)
    referred_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mediation_referrals",
        help_text="The formal case this mediation was offered instead of.",
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["employing_partner", "opened_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="hr_case_closed_after_opened",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("hr:case-detail", args=[self.reference])

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(employing_partner_id__in=partner_ids)

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.CLOSED

    @property
    def route(self) -> list[str]:
        return list(MEDIATION_STAGES if self.kind == CaseKind.MEDIATION else FORMAL_STAGES)

    def parties_in(self, *roles: str) -> list[CaseParty]:
        return [p for p in self.parties.all() if p.role in roles]

    def party(self, role: str) -> CaseParty | None:
        found = self.parties_in(role)
        return found[0] if found else None


class CaseChild(models.Model):
    """A record that belongs to a case and is seen only with it."""

    class Meta:
        abstract = True

    objects = ScopedQuerySet.as_manager()

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(case__employing_partner_id__in=partner_ids)

    def get_absolute_url(self) -> str:
        return self.case.get_absolute_url()  # type: ignore[attr-defined]


class StageEntry(CaseChild):
    """The day a case entered a stage: the timeline, and the durations by stage."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_entries")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    entered_on = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["entered_on", "pk"]
        verbose_name_plural = "stage entries"

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_stage_display()}"


class CaseParty(CaseChild):
    """Someone with a role in a case: an employee of any partner, or someone outside (a union official)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=30, choices=PartyRole.choices)
    employee = models.ForeignKey(
        "workforce.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="hr_case_parties"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hr_case_parties",
        help_text="Their account, so they can see the case they are assigned to.",
    )
    name = models.CharField(max_length=200, blank=True, help_text="For someone not on the workforce.")
    partner = models.ForeignKey(
        "core.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Their employing council.",
    )
    companion_kind = models.CharField(max_length=30, choices=CompanionKind.choices, blank=True)

    class Meta:
        ordering = ["case", "role", "pk"]
        verbose_name_plural = "case parties"

    def __str__(self) -> str:
        return f"{self.get_role_display()} in {self.case.reference}"

    @property
    def display_name(self) -> str:
        if self.employee is not None:
            return f"{self.employee.first_name} {self.employee.last_name}"
        if self.user is not None:
            return self.user.get_full_name() or self.user.username
        return self.name

    @property
    def person_key(self) -> tuple[str, Any]:
        """Who the party is, whichever way they were named: the same person in two roles compares equal."""
        if self.employee_id:
            return ("employee", self.employee_id)
        if self.user_id:
            return ("user", self.user_id)
        return ("name", self.name.strip().casefold())


class Allegation(CaseChild):
    class Finding(models.TextChoices):
        UPHELD = "upheld", "Upheld"
        PARTLY_UPHELD = "partly_upheld", "Partly upheld"
        NOT_UPHELD = "not_upheld", "Not upheld"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allegations")
    text = models.TextField()
    finding = models.CharField(max_length=20, choices=Finding.choices, blank=True)

    class Meta:
        ordering = ["case", "pk"]

    def __str__(self) -> str:
        return f"Allegation in {self.case.reference}"


class Interview(CaseChild):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interviews")
    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="interviews")
    held_on = models.DateField()
    summary = models.TextField()

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"Interview in {self.case.reference}"


class Evidence(CaseChild):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    received_on = models.DateField()
    sent_to_employee_on = models.DateField(
        null=True, blank=True, help_text="When a copy went to the employee with the invitation."
    )

    class Meta:
        ordering = ["received_on", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"Evidence in {self.case.reference}"


class Hearing(CaseChild):
    class Kind(models.TextChoices):
        HEARING = "hearing", "Hearing"
        APPEAL = "appeal", "Appeal hearing"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        POSTPONED = "postponed", "Postponed"
        HELD = "held", "Held"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.HEARING)
    scheduled_for = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )
    postponed_because = models.TextField(blank=True)
    companion_unavailable = models.BooleanField(
        default=False, help_text="Moved because the chosen companion could not come (the statutory right)."
    )
    latest_alternative_on = models.DateField(
        null=True,
        blank=True,
        help_text="The last day the employee could propose: 5 working days beginning with the first "
        "working day after the day first proposed.",
    )

    class Meta:
        ordering = ["scheduled_for", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.case.reference}"


class Suspension(CaseChild):
    """Suspension while a case is investigated: always on full pay, reviewed at least every 4 weeks."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspensions")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reason = models.TextField()
    next_review_on = models.DateField()
    on_full_pay = models.BooleanField(default=True, editable=False)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(on_full_pay=True), name="hr_suspension_on_full_pay")
        ]

    def __str__(self) -> str:
        return f"Suspension in {self.case.reference}"


class SuspensionReview(CaseChild):
    suspension = models.ForeignKey(Suspension, on_delete=models.CASCADE, related_name="reviews")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    reviewed_on = models.DateField()
    note = models.TextField()
    continued = models.BooleanField(default=True)

    class Meta:
        ordering = ["reviewed_on", "pk"]

    def __str__(self) -> str:
        return f"Suspension review in {self.case.reference}"


class LetterKind(models.TextChoices):
    INVITATION = "invitation", "Invitation to a hearing"
    OUTCOME = "outcome", "Outcome of the hearing"
    APPEAL_OUTCOME = "appeal_outcome", "Outcome of the appeal"


class Letter(CaseChild):
    """A letter as sent: its paragraphs are kept, so the PDF and Word copies say what went out."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    dated = models.DateField()
    addressee = models.CharField(max_length=200)
    subject = models.CharField(max_length=300)
    paragraphs = models.JSONField(default=list)
    signatory = models.CharField(max_length=200)

    class Meta:
        ordering = ["dated", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} letter in {self.case.reference}"


class CaseworkSetting(models.Model):
    """A partner's casework settings: what one formal case costs, to value the cases mediation avoids."""

    partner = models.OneToOneField("core.Partner", on_delete=models.CASCADE, related_name="casework_setting")
    cost_per_formal_case = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        default=Decimal("5500.00"),
        validators=[MinValueValidator(Decimal(0))],
        help_text="The estimated cost of one formal case (staff time, absence, cover), in pounds.",
    )

    objects = ScopedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Casework settings of {self.partner.code}"

    @classmethod
    def scope_q(cls, partner_ids: Iterable[int]) -> Q:
        return Q(partner_id__in=partner_ids)


DEFAULT_COST_PER_FORMAL_CASE = Decimal("5500.00")
STATUTORY_POSTPONEMENT_WORKING_DAYS = 5  # Employment Relations Act 1999, s10(5)


def latest_alternative_day(hearing: Hearing) -> dt.date:
    """The last day the employee may propose instead of the one offered: the end of the 5 working days
    beginning with the first working day after the day proposed (the employer's calendar)."""
    calendar = calendar_for(hearing.case.employing_partner_id)
    first = calendar.next_working_day(hearing.scheduled_for.date())
    return calendar.add_working_days(first, STATUTORY_POSTPONEMENT_WORKING_DAYS)


def case_age_days(case: Case, day: dt.date) -> int:
    return ((case.closed_on or day) - case.opened_on).days
