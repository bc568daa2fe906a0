"""The ceiling: a one-route Flask app served with the same gunicorn settings as the forum."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"
