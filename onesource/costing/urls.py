from django.urls import path

from onesource.costing import views, views_ledger

app_name = "costing"

urlpatterns = [
    path("", views.RunListView.as_view(), name="run-list"),
    path("runs/new/", views.RunStartView.as_view(), name="run-start"),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run-detail"),
    path("runs/<int:pk>/approve/", views.RunApproveView.as_view(), name="run-approve"),
    path("runs/<int:pk>/delete/", views.RunDeleteView.as_view(), name="run-delete"),
    path("runs/<int:pk>/statements/<str:code>/", views.StatementView.as_view(), name="statement"),
    path(
        "runs/<int:pk>/statements/<str:code>/sign-off/", views.StatementSignOffView.as_view(), name="sign-off"
    ),
    path("runs/<int:pk>/statements/<str:code>/pdf/", views.StatementPdfView.as_view(), name="statement-pdf"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path("agreements/new/", views.AgreementCreateView.as_view(), name="agreement-create"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
    path("agreements/<int:pk>/edit/", views.AgreementUpdateView.as_view(), name="agreement-update"),
    path("budgets/", views.BudgetListView.as_view(), name="budget-list"),
    path("budgets/new/", views.BudgetCreateView.as_view(), name="budget-create"),
    path("budgets/<int:pk>/", views.BudgetDetailView.as_view(), name="budget-detail"),
    path("budgets/<int:pk>/edit/", views.BudgetUpdateView.as_view(), name="budget-update"),
    path("ledger/import/", views_ledger.LedgerImportStartView.as_view(), name="ledger-import-start"),
    path("ledger/import/<uuid:pk>/", views_ledger.LedgerImportView.as_view(), name="ledger-import"),
    path(
        "ledger/import/<uuid:pk>/apply/",
        views_ledger.LedgerImportApplyView.as_view(),
        name="ledger-import-apply",
    ),
    path("actuals/", views.ActualListView.as_view(), name="actual-list"),
    path("actuals/new/", views.ActualCreateView.as_view(), name="actual-create"),
    path("actuals/<int:pk>/", views.ActualDetailView.as_view(), name="actual-detail"),
    path("actuals/<int:pk>/edit/", views.ActualUpdateView.as_view(), name="actual-update"),
    path("counts/", views.QuantityListView.as_view(), name="quantity-list"),
    path("counts/new/", views.QuantityCreateView.as_view(), name="quantity-create"),
    path("counts/<int:pk>/", views.QuantityDetailView.as_view(), name="quantity-detail"),
    path("time/", views.TimeListView.as_view(), name="time-list"),
    path("time/new/", views.TimeCreateView.as_view(), name="time-create"),
    path("support-usage/", views.UsageListView.as_view(), name="usage-list"),
    path("support-usage/new/", views.UsageCreateView.as_view(), name="usage-create"),
]
