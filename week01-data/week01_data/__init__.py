"""Weeks 1-2: is the raw flight data fit to learn from?

Modules, one per stage: :mod:`~week01_data.clean` (times, time zones, cancelled and diverted
flights), :mod:`~week01_data.target` (the label, defined once), :mod:`~week01_data.join`
(planes and the origin's weather at the scheduled hour), :mod:`~week01_data.validate` (a declared
schema and a quarantine for rejected rows), :mod:`~week01_data.explore` (delay rates and
missingness for the EDA) and :mod:`~week01_data.dataset` (all of it, as one table).
"""
