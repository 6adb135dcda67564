"""playground: the neural-network playground, trained in Python and streamed to the browser.

From Python (docs/python.md): `playground.train(setup, epochs=...)` returns a Run with its History and its Model;
`playground.load(path)` reads a saved one.
"""

from playground import jitcache  # noqa: F401  (first: numba's cache directory must be settled before numba loads)
from playground.api import History, Model, Run, SavedRunError, load, train
from playground.config import Config, ConfigError

__version__ = "0.2.0"
__all__ = ["Config", "ConfigError", "History", "Model", "Run", "SavedRunError", "__version__", "load", "train"]
