"""Weeks 3-4: which model, honestly measured?

Modules, one per stage: :mod:`~week03_ml.split` (train / validation / test by date),
:mod:`~week03_ml.features` (what is known at scheduled departure, past-only delay rates, the
leakage guard), :mod:`~week03_ml.models` (baseline, logistic regression, XGBoost pipelines),
:mod:`~week03_ml.evaluate` (AUCs, a threshold chosen on validation, scores per month),
:mod:`~week03_ml.plots`, :mod:`~week03_ml.checks` (behavioural model checks),
:mod:`~week03_ml.artifact` (save / load a model and its metadata), :mod:`~week03_ml.train`
(the whole experiment) and :mod:`~week03_ml.cli` (``python -m week03_ml``).
"""
