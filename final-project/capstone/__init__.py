"""The capstone: the course's parts composed into one production system, run day by day."""
