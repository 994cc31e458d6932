"""Documents on paper and for the press: the printed round protocol (PDF with a QR code and the
digest of the protocol's canonical data) and the CEC's press release (Markdown, HTML, PDF), in
Kazakh, Russian and English (docs/documents.md). A front end: it reads the services' read
models and renders them with Jinja2, WeasyPrint and segno; the web serves what it renders."""
