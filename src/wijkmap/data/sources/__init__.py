"""Source modules: each turns one bundled source or import format into frames."""
