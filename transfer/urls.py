from django.urls import path

from transfer import views

app_name = "transfer"

urlpatterns = [
    path("export/", views.export_page, name="export"),
    path("export/sessions.csv", views.export_csv, name="export_csv"),
    path("export/pauses.csv", views.export_pauses_csv, name="export_pauses_csv"),
    path("export/footcare.json", views.export_json, name="export_json"),
    path("import/", views.import_upload, name="import"),
    path("import/preview/", views.import_preview, name="import_preview"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
]
