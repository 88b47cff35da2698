"""Data files of the content judge (weights, encoder vocabulary): see NOTICE."""
