"""``python -m pipeline.serve OUT_DIR``: the same as ``kehoach serve OUT_DIR``."""

import sys

from pipeline.serve import main

sys.exit(main())
