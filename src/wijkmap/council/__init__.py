"""For the council: finding and comparing areas (search, compare), need and reach, the Hoge nood
ranking, and the report."""
