"""What an editor does in Wagtail's admin, as browser steps shared by the browser tests."""

import random

from PIL import Image


def upload_file(tmp_path, name="studio-gate.png", size=(1600, 900)):
    """An image as an editor would upload it: a PNG, unique so Wagtail sees no duplicate."""
    path = tmp_path / name
    colour = tuple(random.randrange(40, 200) for _ in range(3))
    Image.new("RGB", size, colour).save(path)
    return path


def choose(page, button_name, choice, search=None):
    """Open a chooser modal, optionally search it, pick ``choice``."""
    page.get_by_role("button", name=button_name).last.click()
    modal = page.locator(".modal-dialog")
    if search:
        modal.locator("input[name=q]").fill(search)
    modal.locator("[data-chooser-modal-choice]", has_text=choice).first.click()
    modal.wait_for(state="hidden")


def create_in_chooser(page, button_name, tab_name, fields):
    """Open a chooser modal, fill its "Create" tab (``tab_name``) and submit it: the new item is chosen.

    ``fields``: form field name → text, or a list of checkbox labels.
    """
    page.get_by_role("button", name=button_name).last.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name=tab_name).click()
    form = modal.locator("form[data-chooser-modal-creation-form]")
    for name, value in fields.items():
        if isinstance(value, list):
            for label in value:
                form.get_by_label(label, exact=True).check()
        else:
            form.locator(f"[name={name}]").fill(value)
    form.get_by_role("button", name=tab_name).click()
    modal.wait_for(state="hidden")


def add_block(body, label):
    body.get_by_title("Insert a block").last.click()
    body.page.get_by_role("option", name=label, exact=True).click()


def open_footer_menu(page):
    footer = page.locator("footer").last
    footer.locator(".w-dropdown__toggle").click()
    return footer


def submit_from_footer(page, button_name, *, lands_on="**/admin/pages/*/"):
    """Press a page-editor action in the footer menu; wait for the page Wagtail answers with.

    Wagtail answers a successful publish or submission with the section's listing. If it
    shows the editor again instead (a validation error), fail with what the page says
    rather than with a bare timeout.
    """
    open_footer_menu(page).get_by_role("button", name=button_name, exact=True).click()
    try:
        page.wait_for_url(lands_on)
    except Exception as error:
        said = page.locator(".messages, .error-message, .w-field__errors, [role=alert]").all_inner_texts()
        raise AssertionError(f"{button_name!r} left the editor at {page.url}, saying: {said}") from error
