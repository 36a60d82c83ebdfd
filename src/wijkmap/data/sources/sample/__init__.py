"""An illustrative, fictional sample of the sociale basis in Utrecht and Rotterdam.

No open source has initiatives with a strategy, or the closures of buurthuizen and
library branches, yet the product must be able to show them. This module makes such
records up, deterministically and unmistakably: every record has bron "voorbeeld", a name
ending in " (fictief)" and an omschrijving starting with "Fictief voorbeeld — ". It must
never be mixed silently with real records; the app shows it as fiction and can leave it out.

What is made, per gemeente (GM0344 Utrecht, GM0599 Rotterdam):
- wijkteams: one office per wijk; wijken with very few inhabitants are served by the
  nearest team, large wijken get two. Their werkgebieden partition the gemeente's buurten.
- classic provisions (buurthuis, bibliotheek, bejaardenhuis) opened 1955–1985, many of
  them closed 2005–2020, some followed 0–3 years later by a provision of a new kind, in
  the same building or nearby (`opvolger_van`), a few of those in a chain of two.
- churches, mosques, religious organisations and wijkpastoraat, some churches reused.
- pop-up provisions and residents' initiatives, placed more often where need is high
  (inhabitants, 65+, one-person households, bijstand, migration background: whatever the
  statistics hold), except in a few high-need buurten that are deliberately left thin.

Placement is plausible, not real: a random point inside a real 2015 buurt.
Same inputs and seed give byte-identical output: one numpy Generator per gemeente, every
iteration over sorted codes, no set order and no hash().
"""

from wijkmap.data.sources.sample.generator import generate_sample
from wijkmap.data.sources.sample.tables import KINDS

__all__ = ["KINDS", "generate_sample"]
