"""Public verification of issued documents by their code (the page the QR code links to), the
upload check of a PDF, and the same as JSON: services.py (pure), views.py (the `verification`
blueprint), api.py (routes on lms's api blueprint)."""
