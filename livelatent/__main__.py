from livelatent.cli import main

raise SystemExit(main())
