from django.urls import path

from onesource.strategy import views

app_name = "strategy"

urlpatterns = [
    path("", views.StrategyListView.as_view(), name="strategy-list"),
    path("new/", views.StrategyCreateView.as_view(), name="strategy-create"),
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/<slug:code>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("projects/<slug:project>/edit/", views.ProjectUpdateView.as_view(), name="project-update"),
    path(
        "projects/<slug:project>/milestones/new/",
        views.MilestoneCreateView.as_view(),
        name="milestone-create",
    ),
    path("milestones/<int:pk>/edit/", views.MilestoneUpdateView.as_view(), name="milestone-update"),
    path("service-priorities/", views.ServicePriorityListView.as_view(), name="service-priority-list"),
    path(
        "service-priorities/<int:pk>/",
        views.ServicePriorityDetailView.as_view(),
        name="service-priority-detail",
    ),
    path(
        "service-priorities/<int:pk>/edit/",
        views.ServicePriorityUpdateView.as_view(),
        name="service-priority-update",
    ),
    path(
        "priorities/<int:pk>/edit/",
        views.StrategicPriorityUpdateView.as_view(),
        name="strategic-priority-update",
    ),
    path("phases/<int:pk>/edit/", views.PhaseUpdateView.as_view(), name="phase-update"),
    path("<slug:code>/", views.StrategyDetailView.as_view(), name="strategy-detail"),
    path("<slug:code>/edit/", views.StrategyUpdateView.as_view(), name="strategy-update"),
    path("<slug:code>/priority-map/", views.PriorityMapView.as_view(), name="priority-map"),
    path("<slug:code>/road-map/", views.RoadmapView.as_view(), name="roadmap"),
    path(
        "<slug:code>/priorities/new/",
        views.StrategicPriorityCreateView.as_view(),
        name="strategic-priority-create",
    ),
    path("<slug:code>/phases/new/", views.PhaseCreateView.as_view(), name="phase-create"),
    path("<slug:code>/projects/new/", views.ProjectCreateView.as_view(), name="project-create"),
    path(
        "<slug:code>/service-priorities/new/",
        views.ServicePriorityCreateView.as_view(),
        name="service-priority-create",
    ),
]
