from leadctl.cli import app

app(prog_name="leadctl")
