from django.urls import path

from onesource.workforce import views, views_import, views_transparency

app_name = "workforce"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("posts/", views.PostListView.as_view(), name="post-list"),
    path("posts/new/", views.PostCreateView.as_view(), name="post-create"),
    path("posts/<int:pk>/", views.PostDetailView.as_view(), name="post-detail"),
    path("posts/<int:pk>/edit/", views.PostUpdateView.as_view(), name="post-update"),
    path("employees/", views.EmployeeListView.as_view(), name="employee-list"),
    path("employees/new/", views.EmployeeCreateView.as_view(), name="employee-create"),
    path("employees/<str:staff_number>/", views.EmployeeDetailView.as_view(), name="employee-detail"),
    path("employees/<str:staff_number>/edit/", views.EmployeeUpdateView.as_view(), name="employee-update"),
    path("employees/<str:staff_number>/health/", views.EmployeeHealthView.as_view(), name="employee-health"),
    path(
        "employees/<str:staff_number>/assignments/new/",
        views.AssignmentCreateView.as_view(),
        name="assignment-create",
    ),
    path(
        "employees/<str:staff_number>/contracts/new/",
        views.ContractCreateView.as_view(),
        name="contract-create",
    ),
    path(
        "employees/<str:staff_number>/time-splits/new/",
        views.TimeSplitCreateView.as_view(),
        name="time-split-create",
    ),
    path("employees/<str:staff_number>/leave/", views.LeaverView.as_view(), name="employee-leave"),
    path(
        "employees/<str:staff_number>/sickness/new/",
        views.SicknessCreateView.as_view(),
        name="sickness-create",
    ),
    path(
        "employees/<str:staff_number>/secondments/new/",
        views.SecondmentCreateView.as_view(),
        name="secondment-create",
    ),
    path(
        "employees/<str:staff_number>/furlough/new/",
        views.FurloughCreateView.as_view(),
        name="furlough-create",
    ),
    path(
        "employees/<str:staff_number>/risk-assessments/new/",
        views.RiskAssessmentCreateView.as_view(),
        name="risk-assessment-create",
    ),
    *views_import.urlpatterns,
    *views_transparency.urlpatterns,
]
