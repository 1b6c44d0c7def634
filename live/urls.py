from django.urls import path

from live import views

app_name = "live"

urlpatterns = [
    # people in the room: a join code, then their phone's page (identified by the browser's session)
    path("live/", views.enter, name="enter"),
    path("live/<str:code>/", views.join, name="join"),
    path("live/t/<uuid:key>/", views.participant, name="participant"),
    path("live/t/<uuid:key>/stand/", views.participant_state, name="participant_state"),
    path("live/t/<uuid:key>/stimme/", views.vote, name="vote"),
    path("live/t/<uuid:key>/ergebnis/", views.result, name="result"),
    # the consultant: start, control, the projector; each action one URL
    path("beratung/s/<uuid:key>/live/", views.start, name="start"),
    path("beratung/live/<uuid:key>/", views.control, name="control"),
    path("beratung/live/<uuid:key>/stand/", views.control_state, name="control_state"),
    path("beratung/live/<uuid:key>/praesentation/", views.presenter, name="presenter"),
    path("beratung/live/<uuid:key>/praesentation/stand/", views.presenter_state, name="presenter_state"),
    path("beratung/live/<uuid:key>/oeffnen/", views.open_item, name="open"),
    path("beratung/live/<uuid:key>/timer/", views.timer_start, name="timer_start"),
    path("beratung/live/<uuid:key>/timer/stopp/", views.timer_stop, name="timer_stop"),
    path("beratung/live/<uuid:key>/aufdecken/", views.reveal, name="reveal"),
    path("beratung/live/<uuid:key>/wieder-oeffnen/", views.reopen, name="reopen"),
    path("beratung/live/<uuid:key>/konsens/", views.consensus, name="consensus"),
    path("beratung/live/<uuid:key>/pause/", views.pause, name="pause"),
    path("beratung/live/<uuid:key>/anonym/", views.anonymous, name="anonymous"),
    path("beratung/live/<uuid:key>/beenden/", views.end, name="end"),
]
