"""``python -m specforge``."""

from specforge.cli import run

if __name__ == "__main__":
    run()
