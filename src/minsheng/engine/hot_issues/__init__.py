"""Hot issues (热点问题): a specific problem of a specific place or group of people within a period.

The stage, :func:`find_hot_issues` (:mod:`.find`), in the order it runs:

1. each message's place or group (:mod:`minsheng.engine.places`), moved to the place its title names
   (:mod:`.title_places`), and the district and the kind of question its title writes (:mod:`.districts`);
2. what the link rules read, once (:mod:`.prelude`): place and theme codes, TF-IDF vectors of the texts' starts
   (:mod:`.vectors`);
3. the link rules (:mod:`.links`, thresholds in :mod:`.thresholds`): a place's messages that say the same thing,
   and around a leader those that name no place (:mod:`.leaders`); issues are the connected components, with
   the work cut into tasks for the workers (:mod:`.parts`);
4. each issue's people, voices and heat (:mod:`.heat`), the hottest kept and ranked (:mod:`.table`), named and
   described from their own texts (:mod:`.naming`).

Measurements and rounds: docs/engine/hot-issues.md; quality against hand-made gold sets:
:mod:`minsheng.engine.hot_eval`.

What the rest of the engine may use is what this module exports (``__all__``). The modules of the package
import one another's underscore names: those are the package's own, split across files for size, not the
engine's; a name another engine module needs is made public in the module that owns it.
"""

from minsheng.engine.hot_issues.districts import district_codes, questions_asked
from minsheng.engine.hot_issues.find import find_hot_issues
from minsheng.engine.hot_issues.heat import heat_index
from minsheng.engine.hot_issues.table import HOT_COLUMNS

__all__ = ["HOT_COLUMNS", "district_codes", "find_hot_issues", "heat_index", "questions_asked"]
