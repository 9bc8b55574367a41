from casekb.cli import main

raise SystemExit(main())
