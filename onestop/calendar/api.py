"""Calendar API routes."""
