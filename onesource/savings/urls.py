from django.urls import path

from onesource.savings import views

app_name = "savings"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("cases/", views.BusinessCaseListView.as_view(), name="case-list"),
    path("cases/new/", views.BusinessCaseCreateView.as_view(), name="case-create"),
    path("cases/<slug:code>/", views.BusinessCaseDetailView.as_view(), name="case-detail"),
    path("cases/<slug:code>/edit/", views.BusinessCaseUpdateView.as_view(), name="case-update"),
    path("cases/<slug:code>/targets/", views.YearTargetView.as_view(), name="case-target"),
    path("lines/", views.SavingsLineListView.as_view(), name="line-list"),
    path("lines/new/", views.SavingsLineCreateView.as_view(), name="line-create"),
    path("lines/<int:pk>/", views.SavingsLineDetailView.as_view(), name="line-detail"),
    path("lines/<int:pk>/edit/", views.SavingsLineUpdateView.as_view(), name="line-update"),
    path("lines/<int:pk>/amounts/", views.SavingsAmountView.as_view(), name="line-amounts"),
    path("lines/<int:pk>/shares/", views.SavingsSharesView.as_view(), name="line-shares"),
]
