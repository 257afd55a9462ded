"""The administrative power list (行政权力清单) with versioned adjustments and the list as of any date."""
