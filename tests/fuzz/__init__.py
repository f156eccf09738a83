"""Property tests with hypothesis: whatever the input, a result or one sentence, never a crash
and never a half-written database."""
