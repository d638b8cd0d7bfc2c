"""The REST routes, one router per resource (health, model, predictions), included by
:func:`week05_ml_api.app.create_app`."""
