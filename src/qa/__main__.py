"""`python -m qa`: the command line, as the `qa` script runs it."""

from qa.cli import main

raise SystemExit(main())
