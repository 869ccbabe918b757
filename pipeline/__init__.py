"""kehoach: tidy tables from Vietnamese plan documents (Kế hoạch).

The data takes one path: ``ingest`` (file → text and page offsets) → ``normalize`` (clean text with an
offset map) → ``segment`` (header block and section tree) → ``extract`` (records with spans) → ``tables``
(DataFrames, CSV, Parquet, SQLite). ``runner`` drives a batch; ``cli`` is the ``kehoach`` command.
"""

__version__ = "0.1.0"
