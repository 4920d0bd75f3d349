from django.urls import path

from onesource.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportIndexView.as_view(), name="index"),
    path("committee/<str:code>/", views.CommitteeReportView.as_view(), name="committee"),
    path("committee/<str:code>/pdf/", views.CommitteeReportPdfView.as_view(), name="committee-pdf"),
    path("committee/<str:code>/docx/", views.CommitteeReportDocxView.as_view(), name="committee-docx"),
    path("committee/<str:code>/finalise/", views.FinaliseReportView.as_view(), name="committee-finalise"),
    path("committee/<str:code>/versions/<int:number>/", views.ReportVersionView.as_view(), name="version"),
]
