"""Boundaries and official units of Vietnam after the 1 July 2025 reorganisation.

Everything in the product is keyed by GSO codes: two digits for the 34 provinces and
five digits for the 3,321 communes (xã, phường, đặc khu).
"""
