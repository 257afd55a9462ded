"""Enforcement bodies (执法主体) and enforcement officers (执法人员): the registries,
qualification clean-up and the public lists (事前公开).
"""
