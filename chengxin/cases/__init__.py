"""Enforcement cases handled online (行政执法三项制度): steps, full-process records, legality review of
major decisions.
"""
