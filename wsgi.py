"""The WSGI entry point: ``gunicorn wsgi:app``."""

import gc

from judge import create_app
from judge.core import logs

app = create_app()
logs.configure(app.config)  # text, or one JSON object per line with JUDGE_LOG_FORMAT=json
# Move everything loaded at start-up out of the collector's sight: full collections
# then only walk what requests allocate (they cost >100 ms with the start-up heap).
gc.freeze()
