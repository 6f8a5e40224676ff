from django.urls import path

from minsheng.consultation.analysis import views

urlpatterns = [
    path("manage/c/<slug:slug>/analysis/", views.overview, name="analysis"),
    path("manage/c/<slug:slug>/analysis/start/", views.run_start, name="analysis-start"),
    path("manage/c/<slug:slug>/analysis/runs/<int:pk>/progress/", views.run_progress, name="analysis-progress"),
    path("manage/c/<slug:slug>/analysis/runs/<int:pk>/report.<str:fmt>", views.report, name="analysis-report"),
    path("manage/c/<slug:slug>/analysis/themes/", views.themes, name="analysis-themes"),
    path("manage/c/<slug:slug>/analysis/themes/<str:code>/", views.theme, name="analysis-theme"),
    path("manage/c/<slug:slug>/analysis/groups/", views.groups, name="analysis-groups"),
    path("manage/c/<slug:slug>/analysis/groups/<int:number>/", views.group, name="analysis-group"),
    path("manage/c/<slug:slug>/analysis/hot/", views.hot, name="analysis-hot"),
    path("manage/c/<slug:slug>/analysis/hot/<str:code>/", views.hot_issue, name="analysis-hot-issue"),
    path("manage/c/<slug:slug>/analysis/digest/", views.digest, name="analysis-digest"),
    path("manage/c/<slug:slug>/analysis/digest/<str:code>/", views.digest_item, name="analysis-digest-item"),
    path("manage/c/<slug:slug>/analysis/novel/", views.novel, name="analysis-novel"),
    path("manage/c/<slug:slug>/analysis/search/", views.search, name="analysis-search"),
    path("manage/c/<slug:slug>/analysis/search/export.<str:fmt>", views.search_export, name="analysis-search-export"),
    path("manage/c/<slug:slug>/analysis/retrain/", views.retrain, name="analysis-retrain"),
]
