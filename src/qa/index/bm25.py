"""bm25s, imported without scipy: the server's BM25 scoring never uses it."""

from __future__ import annotations

import sys

# bm25s imports scipy.sparse whenever scipy is installed (it is, for dedup), which adds about 23 MB
# to every server process, though its default numpy backend, the one used here, never touches it. Hide
# scipy for this one import; whatever needs scipy later imports it as usual.
_hidden = "scipy" not in sys.modules
if _hidden:
    sys.modules["scipy"] = None  # type: ignore[assignment]
try:
    import bm25s
    from bm25s.stopwords import STOPWORDS_EN
finally:
    if _hidden:
        del sys.modules["scipy"]

__all__ = ["STOPWORDS_EN", "bm25s"]
