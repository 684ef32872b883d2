"""Signals the logbook sends for the apps above it to answer (it imports none)."""

from django.dispatch import Signal

# Sent by the sessions list when it shows one day, with `user` and `day`. Each
# receiver returns a list of notes about that day for the page, each a dict with
# "text" and "url" (streaks answers with the day's rest day).
day_shown = Signal()

# Sent by the log and edit views once a session is saved, with `request` and
# `session`: apps above the logbook (streaks) add what they know to the reply.
session_saved = Signal()
