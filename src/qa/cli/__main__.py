"""`python -m qa.cli`: the `qa` command."""

from qa.cli import main

raise SystemExit(main())
