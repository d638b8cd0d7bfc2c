"""Weeks 11-12: is the model still right? Data and prediction drift, quality once the labels
are in, the service's metrics, and alerts that reach a person.

Nothing heavy is imported here: Evidently (~12 s) and MLflow load inside the functions that
need them, so ``course grade`` and test collection stay fast.
"""
