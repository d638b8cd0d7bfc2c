from week11_monitoring.cli import app

if __name__ == "__main__":
    app()
