"""``python -m pipeline.report OUT_DIR -o report.html``: the same as ``kehoach report``."""

import sys

from pipeline.report import main

sys.exit(main())
