"""Week 10: the cloud, without a cloud account.

Modules, in the order of the lessons: :mod:`~week10_cloud.settings` (12-factor configuration),
:mod:`~week10_cloud.keys` (where a day lives in the bucket), :mod:`~week10_cloud.storage` (the
S3 API: atomic publish, checksums, retries), :mod:`~week10_cloud.emulator` (moto's S3 server on
127.0.0.1), :mod:`~week10_cloud.checks` and :mod:`~week10_cloud.manifests` (Kubernetes manifests
validated offline), :mod:`~week10_cloud.scoring` and :mod:`~week10_cloud.spark_scoring` (batch
scoring with pandas and Spark), :mod:`~week10_cloud.bench` (when Spark pays off).
"""
