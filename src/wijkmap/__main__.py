"""`python -m wijkmap`: the same command as `wijkmap`."""

import sys

from wijkmap.cli import main

sys.exit(main())
