"""Rules as data: gazetteers and word lists under ``data/``, each with a small loader class."""
