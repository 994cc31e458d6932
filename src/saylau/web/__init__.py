"""The web front end (docs/web.md): public pages, the staff workspace and the JSON API, over the
same services and read models as the CLI. `create_app` in saylau.web.app builds it."""
