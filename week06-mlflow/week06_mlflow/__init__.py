"""Weeks 6-7: which run made this model? MLflow tracking, search and registry.

Modules, one per stage: :mod:`~week06_mlflow.settings` (where the store is:
``MLFLOW_TRACKING_URI``), :mod:`~week06_mlflow.data` (small real windows of week 3's features),
:mod:`~week06_mlflow.tracking` (one training run: parameters, metrics, plots, the model with its
signature), :mod:`~week06_mlflow.search` (a hyper-parameter search as child runs, the best one
picked on validation), :mod:`~week06_mlflow.registry` (versions, ``champion``/``challenger``
aliases, the promotion rule, :func:`~week06_mlflow.registry.load_champion` for week 5),
:mod:`~week06_mlflow.server` (a real ``mlflow server`` on 127.0.0.1) and the CLI
(``python -m week06_mlflow --help``).

Importing this package imports neither MLflow (~6 s) nor sets any tracking URI.
"""
