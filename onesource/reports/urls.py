from django.urls import path

from onesource.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportIndexView.as_view(), name="index"),
    path("committee/<str:code>/", views.CommitteeReportView.as_view(), name="committee"),
    path("committee/<str:code>/pdf/", views.CommitteeReportPdfView.as_view(), name="committee-pdf"),
]
