from socialkit.cli import run

run()
