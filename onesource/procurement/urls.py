from django.urls import path

from onesource.procurement import views, views_spend, views_transparency

app_name = "procurement"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("contracts/", views.ContractListView.as_view(), name="contract-list"),
    path("contracts/new/", views.ContractCreateView.as_view(), name="contract-create"),
    path("contracts/<str:reference>/", views.ContractDetailView.as_view(), name="contract-detail"),
    path("contracts/<str:reference>/edit/", views.ContractUpdateView.as_view(), name="contract-update"),
    path("contracts/<str:reference>/dates/", views.ContractDatesView.as_view(), name="contract-dates"),
    path("contracts/<str:reference>/shares/", views.ContractSharesView.as_view(), name="contract-shares"),
    path(
        "contracts/<str:reference>/changes/new/", views.ContractChangeView.as_view(), name="contract-change"
    ),
    path("suppliers/", views.SupplierListView.as_view(), name="supplier-list"),
    path("suppliers/new/", views.SupplierCreateView.as_view(), name="supplier-create"),
    path("suppliers/matches/", views.SupplierMatchesView.as_view(), name="supplier-matches"),
    path("suppliers/<int:pk>/", views.SupplierDetailView.as_view(), name="supplier-detail"),
    path("suppliers/<int:pk>/edit/", views.SupplierUpdateView.as_view(), name="supplier-update"),
    path("suppliers/<int:pk>/names/new/", views.SupplierAliasView.as_view(), name="supplier-alias"),
    path("joint/", views.JointProcurementView.as_view(), name="joint"),
    *views_spend.urlpatterns,
    *views_transparency.urlpatterns,
]
