from capstone.cli import app

app()
