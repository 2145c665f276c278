"""Streamlit glue shared by the pages: language, the data store and cached loaders.

Everything here calls Streamlit; the logic it wraps lives in `geo` and `monitoring`.
"""
