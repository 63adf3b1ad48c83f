"""Allow ``python -m kop``."""

import sys

from kop.cli.main import main

sys.exit(main())
