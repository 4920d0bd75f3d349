"""Strategy pages: strategies, the priority map, the road map, projects, milestones and service priorities."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from onesource.core.models import FinancialYear
from onesource.core.roles import Capability
from onesource.core.scoping import get_scoped_or_404
from onesource.core.views_base import ActionFormView, Column, ObjectDetailView, ObjectListView
from onesource.strategy import actions
from onesource.strategy.filters import ProjectFilter, ServicePriorityFilter
from onesource.strategy.forms import (
    MilestoneForm,
    PhaseForm,
    ProjectForm,
    ServicePriorityForm,
    StrategicPriorityForm,
    StrategyForm,
)
from onesource.strategy.models import Milestone, Phase, Project, ServicePriority, StrategicPriority, Strategy
from onesource.strategy.roadmap import build_roadmap, priority_map, rag_counts

MANAGE = Capability.MANAGE_PERFORMANCE


class StrategyListView(ObjectListView):
    model = Strategy
    title = "Strategies"
    default_sort = "-starts_on"
    create_url_name = "strategy:strategy-create"
    create_label = "Add a strategy"
    create_capability = MANAGE
    empty_message = "No strategy has been recorded yet."
    columns = [
        Column("name", "Strategy", sort="name", link=True),
        Column("starts_on", "From", sort="starts_on"),
        Column("ends_on", "To", sort="ends_on"),
        Column("launched_on", "Launched", sort="launched_on"),
    ]


class StrategyDetailView(ObjectDetailView):
    model = Strategy
    template_name = "strategy/strategy_detail.html"
    lookup_field = "code"
    lookup_url_kwarg = "code"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        strategy = context["object"]
        projects = Project.objects.restrict(self.request.user).filter(strategy=strategy)
        context.update(
            priorities=strategy.priorities.all(),
            phases=strategy.phases.all(),
            projects=projects.select_related("phase", "service").order_by(
                "phase__number", "starts_on", "name"
            ),
            enablers=projects.filter(is_critical_enabler=True),
            rag=rag_counts(projects),
            service_priority_count=ServicePriority.objects.restrict(self.request.user)
            .filter(strategy=strategy)
            .count(),
            can_manage=self.scope.has(MANAGE),
        )
        return context


class StrategyCreateView(ActionFormView):
    form_class = StrategyForm
    capability = MANAGE
    title = "Add a strategy"
    success_message = "Strategy added."

    def perform(self, form):
        return actions.create_strategy(acting_user=self.request.user, **form.cleaned_data)


class StrategyMixin:
    request: Any
    kwargs: Any

    def get_strategy(self) -> Strategy:
        if not hasattr(self, "_strategy"):
            self._strategy = get_scoped_or_404(
                Strategy.objects.all(), self.request.user, Capability.VIEW, code=self.kwargs["code"]
            )
        return self._strategy


class StrategyUpdateView(StrategyMixin, ActionFormView):
    form_class = StrategyForm
    capability = MANAGE
    title = "Change strategy"
    success_message = "Strategy updated."

    def get_initial(self):
        strategy = self.get_strategy()
        return {f: getattr(strategy, f) for f in actions.STRATEGY_FIELDS}

    def perform(self, form):
        return actions.update_strategy(
            self.get_strategy(), acting_user=self.request.user, **form.cleaned_data
        )


# A strategy's own priorities and the phases of its activity plan: added and changed from its page.


class StrategyPartForm(ActionFormView):
    """A form for one part of a strategy; back to the strategy's page when saved."""

    capability = MANAGE

    def get_strategy(self) -> Strategy:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = self.get_strategy().name
        context["back_url"] = self.get_strategy().get_absolute_url()
        return context

    def get_success_url(self, obj: Any = None) -> str:
        return self.get_strategy().get_absolute_url()


class StrategicPriorityCreateView(StrategyMixin, StrategyPartForm):
    form_class = StrategicPriorityForm
    title = "Add a strategic priority"
    success_message = "Strategic priority added."

    def get_initial(self):
        return {"number": self.get_strategy().priorities.count() + 1}

    def perform(self, form):
        return actions.add_strategic_priority(
            self.get_strategy(), acting_user=self.request.user, **form.cleaned_data
        )


class StrategicPriorityUpdateView(StrategyPartForm):
    form_class = StrategicPriorityForm
    title = "Change strategic priority"
    success_message = "Strategic priority updated."

    def get_item(self) -> StrategicPriority:
        return get_scoped_or_404(
            StrategicPriority.objects.select_related("strategy"),
            self.request.user,
            MANAGE,
            pk=self.kwargs["pk"],
        )

    def get_strategy(self) -> Strategy:
        return self.get_item().strategy

    def get_initial(self):
        item = self.get_item()
        return {f: getattr(item, f) for f in actions.PRIORITY_FIELDS}

    def perform(self, form):
        return actions.update_strategic_priority(
            self.get_item(), acting_user=self.request.user, **form.cleaned_data
        )


class PhaseCreateView(StrategyMixin, StrategyPartForm):
    form_class = PhaseForm
    title = "Add a phase of the activity plan"
    success_message = "Phase added."

    def get_initial(self):
        return {"number": self.get_strategy().phases.count() + 1}

    def perform(self, form):
        return actions.add_phase(self.get_strategy(), acting_user=self.request.user, **form.cleaned_data)


class PhaseUpdateView(StrategyPartForm):
    form_class = PhaseForm
    title = "Change phase"
    success_message = "Phase updated."

    def get_item(self) -> Phase:
        return get_scoped_or_404(
            Phase.objects.select_related("strategy"), self.request.user, MANAGE, pk=self.kwargs["pk"]
        )

    def get_strategy(self) -> Strategy:
        return self.get_item().strategy

    def get_initial(self):
        item = self.get_item()
        return {f: getattr(item, f) for f in actions.PHASE_FIELDS}

    def perform(self, form):
        return actions.update_phase(self.get_item(), acting_user=self.request.user, **form.cleaned_data)


class PriorityMapView(StrategyMixin, ObjectDetailView):
    model = Strategy
    template_name = "strategy/priority_map.html"
    lookup_field = "code"
    lookup_url_kwarg = "code"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["map"] = priority_map(context["object"], ServicePriority.objects.restrict(self.request.user))
        return context


class RoadmapView(ObjectDetailView):
    model = Strategy
    template_name = "strategy/roadmap.html"
    lookup_field = "code"
    lookup_url_kwarg = "code"

    def chosen_year(self, strategy: Strategy) -> int:
        first, last = strategy.starts_on.year, strategy.ends_on.year
        raw = self.request.GET.get("year", "")
        if raw.isdigit() and first - 1 <= int(raw) <= last:
            return int(raw)
        today = FinancialYear.start_year_for(timezone.localdate())
        return min(max(today, FinancialYear.start_year_for(strategy.starts_on)), last - 1)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        strategy = context["object"]
        year = self.chosen_year(strategy)
        projects = Project.objects.restrict(self.request.user).filter(strategy=strategy)
        first = FinancialYear.start_year_for(strategy.starts_on)
        last = FinancialYear.start_year_for(strategy.ends_on)
        context.update(
            roadmap=build_roadmap(projects, year),
            years=[(y, f"{y}-{(y + 1) % 100:02d}") for y in range(first, last + 1)],
            year=year,
        )
        return context


# Projects


class ProjectListView(ObjectListView):
    model = Project
    title = "Projects and activities"
    filterset_class = ProjectFilter
    default_sort = "starts_on"
    empty_message = "No projects match these filters."
    columns = [
        Column("name", "Project", sort="name", link=True),
        Column("kind", "Kind", accessor="get_kind_display", sort="kind"),
        Column("phase", "Phase", accessor="phase.name", sort="phase__number"),
        Column("service", "Service", accessor="service.name", sort="service__name"),
        Column("lead", "Lead", sort="lead"),
        Column("starts_on", "Starts", sort="starts_on"),
        Column("ends_on", "Ends", sort="ends_on"),
        Column("status", "Status", accessor="get_status_display", sort="status"),
        Column("rag", "RAG", accessor="get_rag_display", sort="rag"),
    ]

    def base_queryset(self):
        return Project.objects.select_related("phase", "service", "strategy")


class ProjectDetailView(ObjectDetailView):
    model = Project
    template_name = "strategy/project_detail.html"
    lookup_field = "code"
    lookup_url_kwarg = "code"

    def base_queryset(self):
        return Project.objects.select_related("phase", "service", "strategy").prefetch_related(
            "strategic_priorities", "milestones"
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        project = context["object"]
        # Only the savings lines this reader may see (they are scoped by service, like the project).
        context["savings_lines"] = project.savings_lines.restrict(self.request.user).select_related("service")
        context["can_manage"] = self.scope.has(MANAGE)
        return context


class ProjectFormMixin(StrategyMixin):
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs.update(strategy=self.get_strategy(), user=self.request.user)
        return kwargs


class ProjectCreateView(ProjectFormMixin, ActionFormView):
    form_class = ProjectForm
    capability = MANAGE
    title = "Add a project or activity"
    success_message = "Project added."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = self.get_strategy().name
        return context

    def perform(self, form):
        return actions.create_project(self.get_strategy(), acting_user=self.request.user, **form.cleaned_data)


class ProjectUpdateView(ProjectFormMixin, ActionFormView):
    form_class = ProjectForm
    capability = MANAGE
    title = "Change project"
    success_message = "Project updated."

    def get_project(self) -> Project:
        if not hasattr(self, "_project"):
            self._project = get_scoped_or_404(
                Project.objects.select_related("strategy"),
                self.request.user,
                MANAGE,
                code=self.kwargs["project"],
            )
        return self._project

    def get_strategy(self) -> Strategy:
        return self.get_project().strategy

    def get_initial(self):
        project = self.get_project()
        initial = {f: getattr(project, f) for f in actions.PROJECT_FIELDS}
        initial["strategic_priorities"] = list(project.strategic_priorities.all())
        initial["savings_lines"] = list(project.savings_lines.all())
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = self.get_project().name
        context["back_url"] = self.get_project().get_absolute_url()
        return context

    def perform(self, form):
        return actions.update_project(self.get_project(), acting_user=self.request.user, **form.cleaned_data)


class MilestoneCreateView(ActionFormView):
    form_class = MilestoneForm
    capability = MANAGE
    title = "Add a milestone"
    success_message = "Milestone added."

    def get_project(self) -> Project:
        return get_scoped_or_404(
            Project.objects.all(), self.request.user, MANAGE, code=self.kwargs["project"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = self.get_project().name
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        return actions.create_milestone(self.get_project(), acting_user=self.request.user, **data)


class MilestoneUpdateView(ActionFormView):
    form_class = MilestoneForm
    capability = MANAGE
    title = "Change milestone"
    success_message = "Milestone updated."

    def get_milestone(self) -> Milestone:
        return get_scoped_or_404(
            Milestone.objects.select_related("project"), self.request.user, MANAGE, pk=self.kwargs["pk"]
        )

    def get_initial(self):
        milestone = self.get_milestone()
        return {f: getattr(milestone, f) for f in actions.MILESTONE_FIELDS}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = self.get_milestone().project.name
        return context

    def perform(self, form):
        return actions.update_milestone(
            self.get_milestone(), acting_user=self.request.user, **form.cleaned_data
        )


# Service priorities


class ServicePriorityListView(ObjectListView):
    model = ServicePriority
    title = "Service priorities"
    filterset_class = ServicePriorityFilter
    default_sort = "service__name"
    empty_message = "No service priorities match these filters."
    columns = [
        Column("title", "Priority", sort="title", link=True),
        Column("service", "Service", accessor="service.name", sort="service__name"),
        Column("plan_year", "Plan year", sort="plan_year"),
        Column("strategy", "Strategy", accessor="strategy.name", sort="strategy__name"),
    ]

    def base_queryset(self):
        return ServicePriority.objects.select_related("service", "strategy")


class ServicePriorityDetailView(ObjectDetailView):
    model = ServicePriority
    template_name = "strategy/service_priority_detail.html"

    def base_queryset(self):
        return ServicePriority.objects.select_related("service", "strategy").prefetch_related(
            "strategic_priorities"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_manage"] = self.scope.has(MANAGE)
        return context


class ServicePriorityCreateView(StrategyMixin, ActionFormView):
    form_class = ServicePriorityForm
    capability = MANAGE
    title = "Add a service priority"
    success_message = "Service priority added."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(strategy=self.get_strategy(), user=self.request.user)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = self.get_strategy().name
        return context

    def perform(self, form):
        return actions.create_service_priority(
            self.get_strategy(), acting_user=self.request.user, **form.cleaned_data
        )


class ServicePriorityUpdateView(ActionFormView):
    form_class = ServicePriorityForm
    capability = MANAGE
    title = "Change service priority"
    success_message = "Service priority updated."

    def get_item(self) -> ServicePriority:
        return get_scoped_or_404(
            ServicePriority.objects.select_related("strategy"),
            self.request.user,
            MANAGE,
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(strategy=self.get_item().strategy, user=self.request.user)
        return kwargs

    def get_initial(self):
        item = self.get_item()
        initial = {f: getattr(item, f) for f in actions.SERVICE_PRIORITY_FIELDS}
        initial["strategic_priorities"] = list(item.strategic_priorities.all())
        return initial

    def perform(self, form):
        return actions.update_service_priority(
            self.get_item(), acting_user=self.request.user, **form.cleaned_data
        )
