"""Tools around the collection: the partners' workbook, ANCT's open data."""
