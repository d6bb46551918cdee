"""``python -m streams.cli``: the ``contraflow`` command line (workers are started this way)."""

import logging
import sys

from streams.cli import main

if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    main()
