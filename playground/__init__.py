"""playground: the neural-network playground, trained in Python and streamed to the browser."""

from playground import jitcache  # noqa: F401  (first: numba's cache directory must be settled before numba loads)
