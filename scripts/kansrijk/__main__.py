"""``python -I -m kansrijk``: the trusted job runs the installed tool this way, so no file in the PR can shadow it."""

import sys

from kansrijk.cli.main import main

sys.exit(main())
