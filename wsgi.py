"""Entry point for gunicorn (`gunicorn -w 4 wsgi:app`) and the flask CLI (`flask --app wsgi …`)."""
from onestop import create_app, settle_for_serving

app = create_app()
settle_for_serving()
