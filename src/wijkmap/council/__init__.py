"""For the council: finding and comparing areas (search, compare), the report, and where
need and the social basis part ways (need, reach, ranking)."""
