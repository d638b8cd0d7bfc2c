"""Week 9-10: the production loop as plain functions of the logical date, wired into Airflow."""
