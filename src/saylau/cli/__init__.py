"""Command-line adapter: parses input, calls one service, renders the answer."""
