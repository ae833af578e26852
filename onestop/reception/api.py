"""Reception API routes."""
