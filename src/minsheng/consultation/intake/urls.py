from django.urls import path

from minsheng.consultation.intake.views import imports, manage, public

urlpatterns = [
    path("", public.home, name="home"),
    path("c/<slug:slug>/", public.campaign_page, name="campaign"),
    path("r/", public.receipt_lookup, name="receipt-lookup"),
    path("r/<str:code>/", public.receipt, name="receipt"),
    path("r/<str:code>/rate/", public.receipt_rate, name="receipt-rate"),
    path("manage/", manage.dashboard, name="dashboard"),
    path("manage/new/", manage.campaign_new, name="campaign-new"),
    path("manage/c/<slug:slug>/", manage.campaign_manage, name="campaign-manage"),
    path("manage/c/<slug:slug>/toggle/", manage.campaign_toggle, name="campaign-toggle"),
    path("manage/c/<slug:slug>/channels/", manage.channel_new, name="channel-new"),
    path("manage/c/<slug:slug>/channels/<slug:code>/revoke/", manage.channel_revoke_view, name="channel-revoke"),
    path("manage/c/<slug:slug>/moderate/<str:receipt>/", manage.suggestion_moderate_view, name="moderate"),
    path("manage/c/<slug:slug>/imports/", imports.import_new, name="import-new"),
    path("manage/c/<slug:slug>/imports/<int:pk>/", imports.import_detail, name="import-detail"),
]
