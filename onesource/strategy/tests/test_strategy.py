"""Strategy: rules of the actions, road map by quarter, priority map, scoping of pages and API, audit."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from onesource.core.models import Event
from onesource.strategy import actions
from onesource.strategy.models import Project, ServicePriority
from onesource.strategy.roadmap import build_roadmap, priority_map, quarters

d = dt.date
pytestmark = pytest.mark.django_db


def test_red_or_amber_needs_a_reason_and_a_refused_change_changes_nothing(projects, partnership):
    audit = projects["audit"]
    with pytest.raises(ValidationError) as error:
        actions.update_project(audit, rag="red", acting_user=partnership["system"])
    assert error.value.message_dict["rag_reason"] == ["Say why the project is red or amber."]
    assert Project.objects.get(pk=audit.pk).rag == "green"


def test_a_rag_change_is_an_event_with_its_reason(projects, partnership):
    actions.update_project(
        projects["audit"], rag="red", rag_reason="Staff redeployed.", acting_user=partnership["system"]
    )
    event = Event.objects.get(name="strategy.rag_changed", object_pk=str(projects["audit"].pk))
    assert event.data == {"from": "green", "to": "red", "reason": "Staff redeployed."}


def test_a_project_must_end_after_it_starts_and_use_its_own_strategys_priorities(strategy, partnership):
    u = partnership["system"]
    with pytest.raises(ValidationError) as error:
        actions.create_project(
            strategy, code="x", name="X", starts_on=d(2021, 5, 1), ends_on=d(2021, 4, 1), acting_user=u
        )
    assert "ends_on" in error.value.message_dict
    other = actions.create_strategy(
        code="o", name="Other", starts_on=d(2024, 4, 1), ends_on=d(2025, 3, 31), acting_user=u
    )
    foreign = actions.add_strategic_priority(other, number=1, title="Other 1", acting_user=u)
    with pytest.raises(ValidationError) as error:
        actions.create_project(
            strategy,
            code="y",
            name="Y",
            starts_on=d(2021, 5, 1),
            ends_on=d(2021, 6, 1),
            strategic_priorities=[foreign],
            acting_user=u,
        )
    assert "strategic_priorities" in error.value.message_dict
    assert not Project.objects.filter(code__in=["x", "y"]).exists()


def test_milestone_completion_needs_a_date_and_completing_is_an_event(projects, partnership):
    u = partnership["system"]
    milestone = projects["whole"].milestones.get()
    with pytest.raises(ValidationError) as error:
        actions.update_milestone(milestone, status="complete", acting_user=u)
    assert "completed_on" in error.value.message_dict
    actions.update_milestone(milestone, status="complete", completed_on=d(2021, 9, 29), acting_user=u)
    assert Event.objects.filter(
        name="strategy.milestone_completed", object_pk=str(projects["whole"].pk)
    ).exists()


def test_a_service_priority_serves_at_least_one_strategic_priority(strategy, partnership):
    u = partnership["system"]
    with pytest.raises(ValidationError):
        actions.create_service_priority(
            strategy,
            service=partnership["shared"],
            plan_year=2021,
            title="T",
            strategic_priorities=[],
            acting_user=u,
        )
    assert not ServicePriority.objects.exists()


def test_quarters_of_a_financial_year():
    q = quarters(2021)
    assert [(x.starts_on, x.ends_on) for x in q] == [
        (d(2021, 4, 1), d(2021, 6, 30)),
        (d(2021, 7, 1), d(2021, 9, 30)),
        (d(2021, 10, 1), d(2021, 12, 31)),
        (d(2022, 1, 1), d(2022, 3, 31)),
    ]


def test_the_road_map_places_projects_and_milestones_in_quarters(projects):
    roadmap = build_roadmap(Project.objects.all(), 2021)
    rows = {row.project.code: row for row in roadmap.rows}
    assert [c["running"] for c in rows["audit-review"].cells] == [False, True, True, True]
    assert [c["running"] for c in rows["budget-plan"].cells] == [True, True, True, False]
    assert [[m.name for m in c["milestones"]] for c in rows["budget-plan"].cells] == [
        [],
        ["Draft plan"],
        [],
        [],
    ]
    assert [r.project.code for r in build_roadmap(Project.objects.all(), 2023).rows] == []


def test_the_priority_map_marks_which_priorities_each_service_priority_serves(strategy, partnership):
    u = partnership["system"]
    p = {x.number: x for x in strategy.priorities.all()}
    actions.create_service_priority(
        strategy,
        service=partnership["shared"],
        plan_year=2021,
        title="A",
        strategic_priorities=[p[1], p[3]],
        acting_user=u,
    )
    actions.create_service_priority(
        strategy,
        service=partnership["own"],
        plan_year=2021,
        title="B",
        strategic_priorities=[p[3]],
        acting_user=u,
    )
    built = priority_map(strategy, ServicePriority.objects.all())
    assert [(r["item"].title, r["serves"]) for r in built["rows"]] == [
        ("A", [True, False, True, False, False]),
        ("B", [False, False, True, False, False]),
    ]
    assert [count for _, count in built["counts"]] == [1, 0, 2, 0, 0]
    assert built["services"] == 2


def test_pages_scope_projects_by_service(client_for, make_user, projects):
    havering = client_for(make_user("committee_member", "HAV"))
    assert havering.get("/strategy/projects/schools-finance/").status_code == 404
    assert havering.get("/strategy/projects/audit-review/").status_code == 200
    road_map = havering.get("/strategy/s-2020/road-map/?year=2021").content.decode()
    assert "Audit review" in road_map and "Budgetary plan" in road_map and "Schools finance" not in road_map
    assert havering.get("/api/strategy/projects/schools-finance").status_code == 404
    codes = [p["code"] for p in havering.get("/api/strategy/projects").json()["items"]]
    assert sorted(codes) == ["audit-review", "budget-plan"]
    assert client_for(None).get("/strategy/").status_code == 302
    assert havering.get("/strategy/s-2020/projects/new/").status_code == 403


def test_every_strategy_page_renders_for_the_manager(client_for, make_user, projects, strategy, partnership):
    u = partnership["system"]
    item = actions.create_service_priority(
        strategy,
        service=partnership["shared"],
        plan_year=2021,
        title="A",
        strategic_priorities=[strategy.priorities.get(number=1)],
        acting_user=u,
    )
    milestone = projects["audit"].milestones.get()
    manager = client_for(make_user("shared_service_manager"))
    for path in (
        "/strategy/",
        "/strategy/new/",
        "/strategy/s-2020/",
        "/strategy/s-2020/edit/",
        "/strategy/s-2020/priority-map/",
        "/strategy/s-2020/road-map/",
        "/strategy/s-2020/road-map/?year=2020",
        "/strategy/s-2020/projects/new/",
        "/strategy/s-2020/service-priorities/new/",
        "/strategy/projects/",
        "/strategy/projects/?rag=amber",
        "/strategy/projects/audit-review/",
        "/strategy/projects/audit-review/edit/",
        "/strategy/projects/audit-review/milestones/new/",
        f"/strategy/milestones/{milestone.pk}/edit/",
        "/strategy/service-priorities/",
        f"/strategy/service-priorities/{item.pk}/",
        f"/strategy/service-priorities/{item.pk}/edit/",
    ):
        assert manager.get(path).status_code == 200, path


def test_the_project_form_saves_links_and_shows_errors(client_for, make_user, strategy, partnership):
    manager = client_for(make_user("shared_service_manager"))
    data = {
        "code": "p-1",
        "name": "P1",
        "kind": "project",
        "starts_on": "2021-04-01",
        "ends_on": "2021-09-30",
        "status": "in_progress",
        "rag": "amber",
        "strategic_priorities": [strategy.priorities.get(number=2).pk],
    }
    response = manager.post("/strategy/s-2020/projects/new/", data)
    assert response.status_code == 200 and "Say why the project is red or amber." in response.content.decode()
    response = manager.post("/strategy/s-2020/projects/new/", {**data, "rag_reason": "Late start."})
    assert response.status_code == 302
    project = Project.objects.get(code="p-1")
    assert [p.number for p in project.strategic_priorities.all()] == [2]


def api(client, method, path, data):
    return getattr(client, method)(path, data=json.dumps(data), content_type="application/json")


def test_api_201_and_422(token_client_for, make_user, strategy, partnership):
    client = token_client_for(make_user("shared_service_manager"))
    payload = {
        "code": "api-p",
        "name": "API project",
        "phase": 2,
        "service": "audit",
        "starts_on": "2021-04-01",
        "ends_on": "2022-03-31",
        "strategic_priorities": [1, 4],
    }
    response = api(client, "post", "/api/strategy/strategies/s-2020/projects", payload)
    assert response.status_code == 201, response.content
    assert response.json()["strategic_priorities"] == [1, 4] and response.json()["phase"] == 2
    response = api(
        client, "post", "/api/strategy/strategies/s-2020/projects", {**payload, "code": "b", "phase": 9}
    )
    assert response.status_code == 422 and response.json()["errors"]["phase"] == [
        "The strategy has no phase 9."
    ]
    response = api(client, "patch", "/api/strategy/projects/api-p", {"rag": "red"})
    assert response.status_code == 422 and "rag_reason" in response.json()["errors"]
    response = api(
        client, "post", "/api/strategy/projects/api-p/milestones", {"name": "M", "due_on": "2021-06-30"}
    )
    assert response.status_code == 201
    road_map = client.get("/api/strategy/strategies/s-2020/road-map?year=2021").json()
    [row] = road_map["rows"]
    assert row["cells"][0]["milestones"][0]["name"] == "M"
    response = api(
        client,
        "post",
        "/api/strategy/strategies/s-2020/service-priorities",
        {"service": "audit", "plan_year": 2021, "title": "SP", "strategic_priorities": [3]},
    )
    assert response.status_code == 201
    assert client.get("/api/strategy/strategies/s-2020/priority-map").json()[0]["serves"] == [3]
    partner_client = token_client_for(make_user("partner_officer", "HAV"))
    assert api(partner_client, "patch", "/api/strategy/projects/api-p", {"rag": "green"}).status_code == 403


def test_project_pages_do_not_query_per_row(client_for, make_user, strategy, partnership):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    u = partnership["system"]
    manager = client_for(make_user("shared_service_manager"))
    paths = (
        "/strategy/projects/",
        "/strategy/s-2020/road-map/?year=2021",
        "/strategy/s-2020/",
        "/api/strategy/projects",
    )

    def add(start, count):
        for n in range(start, start + count):
            project = actions.create_project(
                strategy,
                code=f"p-{n}",
                name=f"P{n}",
                phase=strategy.phases.get(number=2),
                service=partnership["shared"],
                starts_on=d(2021, 4, 1),
                ends_on=d(2021, 12, 31),
                strategic_priorities=[strategy.priorities.get(number=1)],
                acting_user=u,
            )
            actions.create_milestone(project, name="M", due_on=d(2021, 6, 1), acting_user=u)

    def counts():
        out = []
        for path in paths:
            with CaptureQueriesContext(connection) as captured:
                assert manager.get(path).status_code == 200
            out.append(len(captured))
        return out

    add(0, 2)
    few = counts()
    add(2, 8)
    assert counts() == few
