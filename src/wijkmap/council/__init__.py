"""For the council: compare areas, need and reach, the Hoge nood ranking, the report."""
