"""Procedure API routes."""
