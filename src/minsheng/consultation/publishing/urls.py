from django.urls import path

from minsheng.consultation.publishing import views

urlpatterns = [
    path("c/<slug:slug>/results/", views.results, name="campaign-results"),
    path("manage/c/<slug:slug>/analysis/publish/", views.publish, name="analysis-publish"),
]
