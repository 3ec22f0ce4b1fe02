from gentrade_app.cli import app

app()
