"""Two ways to use a page: with the mouse (Playwright's clicks and fills) or with the keyboard alone.

The journeys are written once against this small interface and run with either actor. The keyboard
actor only presses keys (Tab, Shift+Tab, arrows, Space, Enter, typing) and checks at every Tab stop that
the focus is visible, so a journey that passes with it can be done without a mouse.
"""

from __future__ import annotations

from browser_checks import KeyboardError, focus_state, tab_to


class Mouse:
    name = "mouse"

    def __init__(self, page):
        self.page = page

    def fill(self, locator, text: str) -> None:
        locator.fill(text)

    def check(self, locator) -> None:
        locator.check()

    def select(self, locator, value: str) -> None:
        locator.select_option(value=value)

    def upload(self, locator, path) -> None:
        locator.set_input_files(path)

    def download(self, locator):
        with self.page.expect_download() as download:
            locator.click()
        return download.value

    def activate(self, locator) -> None:
        """Follow a link or press a button, and wait for the page it leads to."""
        with self.page.expect_navigation():
            locator.click()


class Keyboard:
    name = "keyboard"

    def __init__(self, page):
        self.page = page

    def _reach(self, locator) -> None:
        # Forward from where the focus is; if the element is behind us, go back to it.
        try:
            tab_to(self.page, locator, max_tabs=120)
        except KeyboardError:
            tab_to(self.page, locator, max_tabs=200, backwards=True)

    def fill(self, locator, text: str) -> None:
        self._reach(locator)
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.type(text)
        assert locator.input_value() == text

    def check(self, locator) -> None:
        kind = locator.get_attribute("type")
        if kind == "radio":
            # Tab enters a radio group once (on its checked or first button); arrows move within it.
            group = self.page.locator(f'input[type=radio][name="{locator.get_attribute("name")}"]')
            self._reach(group)
            for _ in range(group.count() + 1):
                if locator.evaluate("el => el === document.activeElement"):
                    break
                self.page.keyboard.press("ArrowDown")
            self.page.keyboard.press("Space")
        else:
            self._reach(locator)
            if not locator.is_checked():
                self.page.keyboard.press("Space")
        assert locator.is_checked(), f"could not check {locator} with the keyboard"

    def select(self, locator, value: str) -> None:
        self._reach(locator)
        options = locator.locator("option")
        for _ in range(options.count() + 1):
            if locator.input_value() == value:
                return
            self.page.keyboard.press("ArrowDown")
        for _ in range(options.count() + 1):
            if locator.input_value() == value:
                return
            self.page.keyboard.press("ArrowUp")
        raise KeyboardError(f"option {value!r} cannot be chosen with the arrow keys")

    def upload(self, locator, path) -> None:
        self._reach(locator)
        with self.page.expect_file_chooser() as chooser:
            self.page.keyboard.press("Space")
        chooser.value.set_files(path)

    def download(self, locator):
        self._reach(locator)
        with self.page.expect_download() as download:
            self.page.keyboard.press("Enter")
        return download.value

    def activate(self, locator) -> None:
        self._reach(locator)
        assert focus_state(self.page)["target"]
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")


ACTORS = {"mouse": Mouse, "keyboard": Keyboard}
