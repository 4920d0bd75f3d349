from django.contrib.auth import views as auth_views
from django.urls import path

from onesource.core import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sign-in/", views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("partners/", views.PartnerListView.as_view(), name="partner-list"),
    path("partners/new/", views.PartnerCreateView.as_view(), name="partner-create"),
    path("partners/<str:code>/", views.PartnerDetailView.as_view(), name="partner-detail"),
    path("partners/<str:code>/edit/", views.PartnerUpdateView.as_view(), name="partner-update"),
    path(
        "partners/<str:code>/memberships/new/", views.MembershipCreateView.as_view(), name="membership-create"
    ),
    path("partners/<str:code>/leave/", views.PartnerLeaveView.as_view(), name="partner-leave"),
    path("services/", views.ServiceListView.as_view(), name="service-list"),
    path("services/new/", views.ServiceCreateView.as_view(), name="service-create"),
    path("services/<slug:code>/", views.ServiceDetailView.as_view(), name="service-detail"),
    path("services/<slug:code>/edit/", views.ServiceUpdateView.as_view(), name="service-update"),
    path("coverage/", views.CoverageListView.as_view(), name="coverage-list"),
    path("coverage/new/", views.CoverageCreateView.as_view(), name="coverage-create"),
    path("coverage/<int:pk>/", views.CoverageDetailView.as_view(), name="coverage-detail"),
    path("coverage/<int:pk>/edit/", views.CoverageUpdateView.as_view(), name="coverage-update"),
    path("financial-years/", views.FinancialYearListView.as_view(), name="financial-year-list"),
    path("jobs/", views.JobListView.as_view(), name="job-list"),
    path("jobs/coverage-report/", views.CoverageReportStartView.as_view(), name="job-start-coverage"),
    path("jobs/<uuid:pk>/", views.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<uuid:pk>/output/", views.JobOutputView.as_view(), name="job-output"),
    path("audit/", views.AuditListView.as_view(), name="audit-list"),
    path("audit/events/", views.AuditEventListView.as_view(), name="audit-events"),
]
