-- The warehouse beside Airflow's own metadata database (docker-compose.yml).
CREATE DATABASE flights;
-- The suite's PostgreSQL checks (COURSE_POSTGRES_URL=...@127.0.0.1:5432/course_test).
CREATE DATABASE course_test;
