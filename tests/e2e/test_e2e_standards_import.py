"""An administrator imports a Moodle competency framework on a phone: upload, preview with the
levels, a mapping changed and corrected, then the import; axe on every page."""

from __future__ import annotations

import secrets
from pathlib import Path

FILE = Path(__file__).parents[1] / "data" / "moodle-dm-illustrativo.csv"


def _no_side_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_admin_imports_a_moodle_framework(page, login, visit, submit):
    code = f"DM-{secrets.token_hex(3).upper()}"
    raw = FILE.read_bytes().replace(b"DM-ILLUSTRATIVO", code.encode())
    login(page, "admin@demo.example")
    page.set_viewport_size({"width": 390, "height": 844})
    visit(page, "/quadri/importa")
    _no_side_scroll(page)
    page.locator("#file").set_input_files(
        {"name": "quadro-moodle.csv", "mimeType": "text/csv", "buffer": raw}
    )
    page.locator("#format").select_option("moodle")
    page.locator("#issuer").fill("Regione Lombardia")
    submit(page, page.get_by_role("button", name="Controlla il file"))
    _no_side_scroll(page)
    assert code in page.locator("main").inner_text()
    assert page.locator("#level-2").input_value() == "group"
    assert page.locator("#level-3").count() == 0  # decided by the groups

    # Level 2 as abilities: level 3 then needs a choice of its own; the choice stays.
    page.locator("#level-2").select_option("ability")
    submit(page, page.get_by_role("button", name="Aggiorna l'anteprima"), status=422)
    assert page.locator("#level-2").input_value() == "ability"
    assert "Scegli che cosa diventa il livello 3" in page.locator("#problems").inner_text()
    _no_side_scroll(page)

    page.locator("#level-2").select_option("group")
    submit(page, page.get_by_role("button", name="Aggiorna l'anteprima"))
    assert page.get_by_role("button", name="Importa come bozza").count() == 1
    submit(page, page.get_by_role("button", name="Importa come bozza"))
    assert page.locator("#flash-messages .alert-success").count() == 1
    assert code in page.locator("#flash-messages").inner_text()
