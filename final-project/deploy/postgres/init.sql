-- Runs once, when PostgreSQL starts on an empty data volume (docker-entrypoint-initdb.d), as
-- POSTGRES_USER, who then owns all three databases. One server, one database per concern:
--   warehouse  week 4's schema: flights, features, the online store (DATABASE_URL of the API
--              and WEEK09_DATABASE_URL of the pipeline: both must name this one)
--   mlflow     the tracking server's runs and model registry (its artifacts are in MinIO)
--   airflow    Airflow's own metadata: DAG runs, task instances
-- To re-run it, delete the volume: `docker compose -f final-project/deploy/compose.yaml down -v`.
CREATE DATABASE warehouse;
CREATE DATABASE mlflow;
CREATE DATABASE airflow;
