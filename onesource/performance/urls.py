from django.urls import path

from onesource.performance import views

app_name = "performance"

urlpatterns = [
    path("kpis/", views.KpiListView.as_view(), name="kpi-list"),
    path("kpis/new/", views.KpiCreateView.as_view(), name="kpi-create"),
    path("kpis/import/", views.ImportView.as_view(), name="import"),
    path("kpis/<int:pk>/", views.KpiDetailView.as_view(), name="kpi-detail"),
    path("kpis/<int:pk>/edit/", views.KpiUpdateView.as_view(), name="kpi-update"),
    path("kpis/<int:pk>/results/new/", views.ResultCreateView.as_view(), name="result-create"),
    path("scorecards/", views.ScorecardIndexView.as_view(), name="scorecard-index"),
    path("scorecards/<str:code>/", views.ScorecardView.as_view(), name="scorecard"),
    path("achievements/", views.AchievementListView.as_view(), name="achievement-list"),
    path("achievements/new/", views.AchievementCreateView.as_view(), name="achievement-create"),
    path("achievements/<int:pk>/", views.AchievementDetailView.as_view(), name="achievement-detail"),
    path("achievements/<int:pk>/edit/", views.AchievementUpdateView.as_view(), name="achievement-update"),
]
