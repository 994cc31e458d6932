"""Scenarios that build and simulate whole election cycles through the services."""
