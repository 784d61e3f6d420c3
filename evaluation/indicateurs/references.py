"""National reference values (sources in ../shared/DOMAIN.md)."""

# State aid per adulte-relais post (ANCT), euros per year.
AIDE_ADULTE_RELAIS = {2020: 19875, 2021: 20072, 2022: 21254, 2023: 22556, 2024: 22811}
