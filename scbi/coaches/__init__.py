"""Coach profiles (and, later, the coach's workspace)."""
