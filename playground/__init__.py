"""playground: the neural-network playground, trained in Python and streamed to the browser."""
