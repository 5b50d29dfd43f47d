"""Everything that calls GitHub's API, and the issue intake."""
