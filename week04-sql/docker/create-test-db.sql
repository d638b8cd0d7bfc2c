CREATE DATABASE course_test;
