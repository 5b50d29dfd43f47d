"""``python -I -m kansrijk``: the trusted job runs the installed tool this way, so no file in the PR can shadow it."""

import sys

from .cli import main

sys.exit(main())
