"""WSGI entry point: gunicorn wsgi:app."""

from lms import create_app
from lms.heap import freeze_startup_heap

app = create_app()
# the start-up objects are never collected: full collections skip them (lms/heap.py)
freeze_startup_heap()
