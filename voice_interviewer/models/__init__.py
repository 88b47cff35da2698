"""Data files of the content judge (weights, encoder vocabulary) and the hesitation detector: see NOTICE."""
