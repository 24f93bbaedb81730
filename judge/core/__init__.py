"""Infrastructure every domain uses: settings, extensions, database helpers, storage, errors."""
