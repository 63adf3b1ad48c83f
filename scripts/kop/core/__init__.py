"""Plain data, the message catalogue, project settings and small helpers every layer uses."""
