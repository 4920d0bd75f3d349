"""Strategic priorities and phases of the activity plan, added and changed from the strategy's page."""

from __future__ import annotations

import datetime as dt

from auditlog.models import LogEntry

from onesource.strategy.models import Phase, StrategicPriority


def test_the_strategy_page_offers_the_forms_to_a_manager_only(client_for, make_user, strategy):
    manager = client_for(make_user("shared_service_manager")).get("/strategy/s-2020/").content.decode()
    first = strategy.priorities.get(number=1)
    phase = strategy.phases.get(number=1)
    for link in (
        "/strategy/s-2020/priorities/new/",
        "/strategy/s-2020/phases/new/",
        f"/strategy/priorities/{first.pk}/edit/",
        f"/strategy/phases/{phase.pk}/edit/",
    ):
        assert link in manager, link
    member = client_for(make_user("committee_member", "HAV")).get("/strategy/s-2020/").content.decode()
    assert "/strategy/s-2020/priorities/new/" not in member


def test_a_priority_is_added_and_changed_and_a_taken_number_is_refused(client_for, make_user, strategy):
    manager = client_for(make_user("shared_service_manager"))
    form = manager.get("/strategy/s-2020/priorities/new/")
    assert form.status_code == 200 and form.context["form"].initial["number"] == 6  # five exist
    taken = manager.post("/strategy/s-2020/priorities/new/", {"number": 3, "title": "Duplicate"})
    assert taken.status_code == 200
    assert "This strategy already has priority 3." in taken.content.decode()
    assert "govuk-error-summary" in taken.content.decode()
    assert strategy.priorities.count() == 5
    response = manager.post(
        "/strategy/s-2020/priorities/new/", {"number": 6, "title": "Net zero", "description": "Carbon"}
    )
    assert response.status_code == 302 and response["Location"] == "/strategy/s-2020/"
    added = strategy.priorities.get(number=6)
    assert (added.title, added.description) == ("Net zero", "Carbon")
    assert LogEntry.objects.get_for_object(added).filter(action=LogEntry.Action.CREATE).exists()

    url = f"/strategy/priorities/{added.pk}/edit/"
    assert manager.get(url).context["form"].initial["title"] == "Net zero"
    assert manager.post(url, {"number": 1, "title": "Clash"}).status_code == 200
    response = manager.post(url, {"number": 6, "title": "Net zero by 2030"})
    assert response.status_code == 302
    assert StrategicPriority.objects.get(pk=added.pk).title == "Net zero by 2030"
    update = LogEntry.objects.get_for_object(added).filter(action=LogEntry.Action.UPDATE).get()
    assert update.changes_dict["title"] == ["Net zero", "Net zero by 2030"]
    assert "Net zero by 2030" in manager.get("/strategy/s-2020/").content.decode()


def test_a_phase_is_added_and_changed_with_its_dates_checked(client_for, make_user, strategy):
    manager = client_for(make_user("shared_service_manager"))
    url = "/strategy/s-2020/phases/new/"
    assert manager.get(url).context["form"].initial["number"] == 3
    backwards = manager.post(
        url, {"number": 3, "name": "2022-23", "starts_on": "2023-03-31", "ends_on": "2022-04-01"}
    )
    assert backwards.status_code == 200 and "govuk-error-summary" in backwards.content.decode()
    taken = manager.post(url, {"number": 2, "name": "x", "starts_on": "2022-04-01", "ends_on": "2023-03-31"})
    assert "This strategy already has phase 2." in taken.content.decode()
    assert strategy.phases.count() == 2
    response = manager.post(
        url, {"number": 3, "name": "2022-23", "starts_on": "2022-04-01", "ends_on": "2023-03-31"}
    )
    assert response.status_code == 302 and response["Location"] == "/strategy/s-2020/"
    phase = strategy.phases.get(number=3)
    assert (phase.starts_on, phase.ends_on) == (dt.date(2022, 4, 1), dt.date(2023, 3, 31))
    edit = f"/strategy/phases/{phase.pk}/edit/"
    response = manager.post(
        edit, {"number": 3, "name": "2022-23 (extended)", "starts_on": "2022-04-01", "ends_on": "2023-06-30"}
    )
    assert response.status_code == 302
    phase = Phase.objects.get(pk=phase.pk)
    assert (phase.name, phase.ends_on) == ("2022-23 (extended)", dt.date(2023, 6, 30))
    assert LogEntry.objects.get_for_object(phase).filter(action=LogEntry.Action.UPDATE).exists()


def test_only_a_manager_may_use_the_forms(client, client_for, make_user, strategy):
    first = strategy.priorities.get(number=1)
    phase = strategy.phases.get(number=1)
    paths = [
        "/strategy/s-2020/priorities/new/",
        f"/strategy/priorities/{first.pk}/edit/",
        "/strategy/s-2020/phases/new/",
        f"/strategy/phases/{phase.pk}/edit/",
    ]
    member = client_for(make_user("committee_member", "HAV"))
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in/" in response["Location"], path
        assert member.get(path).status_code == 403, path
    assert member.post(paths[0], {"number": 9, "title": "Sneaky"}).status_code == 403
    assert not strategy.priorities.filter(number=9).exists()
    manager = client_for(make_user("shared_service_manager"))
    assert manager.get("/strategy/priorities/999999/edit/").status_code == 404
    assert manager.get("/strategy/nope/phases/new/").status_code == 404
