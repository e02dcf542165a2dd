from socialkit.cli import main

raise SystemExit(main())
