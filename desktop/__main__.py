"""``python -m desktop`` and the PyInstaller bundle's entry point."""

import sys

from desktop.cli import main

sys.exit(main())
