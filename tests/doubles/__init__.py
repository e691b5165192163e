"""Loopback HTTPS stand-ins for real Lightning nodes, faithful to their REST contracts."""
