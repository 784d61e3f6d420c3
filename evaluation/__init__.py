"""Annual evaluation of human presence in priority neighbourhoods (Fiche 4.2.2)."""

__version__ = "0.1.0"
