"""Sign-in for the staff side: sessions, CSRF, the login rate limit (session.py) and the
sign-in pages with the refusal handlers (pages.py)."""
