"""giar-extract: Chinese government information disclosure annual reports → validated JSON.

``giar.extract(path)`` is the Python API; it is imported on first use so that
``python -m giar.schema`` and light imports stay cheap.
"""

__version__ = "0.1.0"
__all__ = ["ExtractOptions", "__version__", "extract"]


def __getattr__(name: str):
    if name in ("extract", "ExtractOptions"):
        from giar import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'giar' has no attribute {name!r}")
