"""Normative documents (规范性文件): issuing bodies, 三统一 registration and numbering, filing, validity
and clean-up.
"""
