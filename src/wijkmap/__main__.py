import sys

from wijkmap.cli import main

sys.exit(main())
