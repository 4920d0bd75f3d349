from onesource.workforce import views_import, views_transparency

app_name = "workforce"

urlpatterns = [
    *views_import.urlpatterns,
    *views_transparency.urlpatterns,
]
