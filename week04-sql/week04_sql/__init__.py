"""Weeks 4-5: features straight from the database.

The same flights as week01, loaded into SQLite (the default) or PostgreSQL (set
``DATABASE_URL``), and the model's features computed there: joins at the right hour, trailing
delay rates with window functions, parameterised filters, and query plans. Importing this
package has no side effects; nothing connects until you ask for an engine.
"""
