"""giar-extract: Chinese government information disclosure annual reports → validated JSON."""

__version__ = "0.1.0"
