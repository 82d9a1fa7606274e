"""``python -m specforge``."""

from specforge.cli import main

if __name__ == "__main__":
    main()
