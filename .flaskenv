FLASK_APP=wsgi:app
LMS_CONFIG=local
