"""The field's ideas as pure functions and dataclasses.

Nothing in this package imports Flask or the database; ``tests/domain``
checks that, so every rule here can be tested in microseconds.
"""
