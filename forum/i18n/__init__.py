"""Languages and time zones: which locale and zone a request is served in, the guest's language
switcher, and the translation folders of core and plugins (Flask-Babel)."""
