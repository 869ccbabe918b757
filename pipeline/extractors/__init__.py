"""Extractors: each takes a segmented document and returns records with spans, nothing else."""
