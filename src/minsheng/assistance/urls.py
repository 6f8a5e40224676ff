from django.urls import path

from minsheng.assistance.views import dashboard, me, needs, rate, recipients

app_name = "assistance"
urlpatterns = [
    path("", needs.home, name="home"),
    path("recipients/", recipients.recipient_list, name="recipients"),
    path("recipients/new/", recipients.recipient_new, name="recipient-new"),
    path("recipients/export.csv", recipients.recipient_export, name="recipient-export"),
    path("recipients/no-contact/", recipients.no_contact, name="no-contact"),
    path("recipients/<int:pk>/", recipients.recipient_detail, name="recipient"),
    path("recipients/<int:pk>/reveal/", recipients.recipient_reveal, name="recipient-reveal"),
    path("recipients/<int:pk>/needs/new/", needs.need_new, name="need-new"),
    path("needs/", needs.need_list, name="needs"),
    path("needs/<int:pk>/", needs.need_detail, name="need"),
    path("needs/<int:pk>/talk/", needs.need_talk, name="need-talk"),
    path("needs/<int:pk>/dispatch/", needs.need_dispatch_view, name="need-dispatch"),
    path("needs/<int:pk>/offers/<int:offer_pk>/accept/", needs.offer_accept, name="offer-accept"),
    path("needs/<int:pk>/offers/<int:offer_pk>/decline/", needs.offer_decline, name="offer-decline"),
    path("needs/<int:pk>/checkin/", needs.need_checkin, name="need-checkin"),
    path("needs/<int:pk>/checkout/", needs.need_checkout, name="need-checkout"),
    path("needs/<int:pk>/feedback/", needs.need_feedback, name="need-feedback"),
    path("needs/<int:pk>/slip/", rate.slip_issue, name="slip-issue"),
    path("needs/<int:pk>/slip/<int:link_pk>/", rate.slip, name="slip"),
    path("needs/<int:pk>/slip/<int:link_pk>/revoke/", rate.slip_revoke, name="slip-revoke"),
    path("rate/", rate.rate, name="rate"),
    path("rate/<str:token>/", rate.rate_token, name="rate-token"),
    path("files/<int:pk>/", needs.attachment_download, name="attachment"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("audit/", dashboard.audit, name="audit"),
    path("api/needs/", dashboard.api_needs, name="api-needs"),
    path("me/", me.me, name="me"),
    path("me/needs/<int:pk>/feedback/", me.me_feedback, name="me-feedback"),
]
