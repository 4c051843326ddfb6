"""Signals other apps listen to. ``tenants`` imports no other app, so it announces and they react.

- ``member_removed(store_id, user_id)``: sent after the removal commits. The inbox closes that person's
  open agent sockets for the store at once.
"""

from django.dispatch import Signal

member_removed = Signal()
