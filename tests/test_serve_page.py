"""The page of doclint serve in a real headless Chromium against a real uvicorn on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_report_html import CHROMEDRIVER, CHROMIUM, _png_ok
from tests.test_serve import _free_port, _wait

NOTE = "Hembesök hos familjen.\nSkolan skall tillse att Noah får stöd. Mamman är slarvig."


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    pytest.importorskip("uvicorn")
    tmp = tmp_path_factory.mktemp("serve")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "doclint", "serve", "--port", str(port), "--pipeline", "blank"],
                            cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "HOME": str(tmp)})
    try:
        _wait(port, proc)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


@pytest.fixture
def page(server, tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("Chromium is not installed (apt-get install chromium chromium-driver)")
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1500,1000",
                "--lang=sv-SE"):
        options.add_argument(arg)
    options.binary_location = str(CHROMIUM)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        driver.get(server)
        yield driver
    finally:
        driver.quit()


def _until(driver, condition, seconds=20):
    from selenium.common.exceptions import StaleElementReferenceException  # noqa: PLC0415
    from selenium.webdriver.support.ui import WebDriverWait  # noqa: PLC0415

    # The page redraws its tables when an answer arrives; an element found just before a redraw is stale,
    # and the condition is simply asked again.
    return WebDriverWait(driver, seconds, poll_frequency=0.1,
                         ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: condition(d))


def _settled(driver, condition, seconds=20):
    """The page has answered the latest text (no check waiting or running) and the condition holds."""
    return _until(driver, lambda d: d.execute_script("return !document.body.dataset.busy;") and condition(d), seconds)


def _count(driver) -> int:
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    found = driver.find_elements(By.ID, "count")
    return int(found[0].text) if found else -1


def _marks(driver) -> list[tuple[str, str]]:
    return driver.execute_script(
        "return [...document.querySelectorAll('#backdrop mark')].map(m => [m.textContent, m.className]);")


def test_type_see_highlights_apply_a_suggestion_and_the_count_drops(page, tmp_path):
    from selenium.webdriver.common.by import By  # noqa: PLC0415
    from selenium.webdriver.common.keys import Keys  # noqa: PLC0415

    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "sv"
    area = page.find_element(By.ID, "text")
    area.send_keys(NOTE)
    _settled(page, lambda d: _count(d) >= 3)
    marks = dict(_marks(page))
    assert marks["skall"] == "sev-warning" and marks["tillse"] == "sev-warning" and "är slarvig" in marks
    before = _count(page)
    items = page.find_elements(By.CSS_SELECTOR, "#findings li")
    assert len(items) == before
    skall = next(li for li in items if "”skall”" in li.text)
    assert "Kanslispråk" in skall.text
    skall.find_element(By.TAG_NAME, "summary").click()
    assert "Källa:" in skall.find_element(By.CSS_SELECTOR, ".source").text
    skall.find_element(By.CSS_SELECTOR, "button.apply").click()
    assert area.get_attribute("value") == NOTE.replace("skall", "ska")
    _settled(page, lambda d: _count(d) == before - 1 and "skall" not in dict(_marks(d)))
    assert "ska" not in dict(_marks(page))

    # keyboard: Tab reaches a finding, Enter selects its words in the text, the suggestion button works by Enter
    first = page.find_elements(By.CSS_SELECTOR, "#findings li")[0]
    first.send_keys(Keys.ENTER)
    selected = page.execute_script("const t = document.getElementById('text');"
                                   "return t.value.slice(t.selectionStart, t.selectionEnd);")
    assert selected and selected in NOTE.replace("skall", "ska")
    tillse = next(li for li in page.find_elements(By.CSS_SELECTOR, "#findings li") if "”tillse”" in li.text)
    tillse.find_element(By.CSS_SELECTOR, "button.apply").send_keys(Keys.ENTER)
    _settled(page, lambda d: _count(d) == before - 2)
    assert "se till att Noah" in area.get_attribute("value")

    # the level selector hides info and warnings
    assert page.find_element(By.ID, "stats").text
    from selenium.webdriver.support.ui import Select  # noqa: PLC0415

    Select(page.find_element(By.ID, "level")).select_by_value("error")
    _settled(page, lambda d: _count(d) == 0)
    assert "visas inte" in page.find_element(By.ID, "hidden-note").text
    Select(page.find_element(By.ID, "level")).select_by_value("info")
    _settled(page, lambda d: _count(d) == before - 2)


def test_before_after_large_type_and_screenshot(page, tmp_path):
    from selenium.webdriver.common.by import By  # noqa: PLC0415

    area = page.find_element(By.ID, "text")
    area.send_keys(NOTE)
    _settled(page, lambda d: _count(d) >= 3)
    figures = page.find_element(By.ID, "stats").text
    assert "Ord" in figures and "LIX" in figures
    families = page.find_element(By.ID, "families").text
    assert "Värderande och spekulativt 1" in families and "Fackspråk och förkortningar 2" in families
    page.find_element(By.ID, "keep").click()
    assert page.find_element(By.ID, "compare-section").is_displayed()
    page.execute_script("const t = document.getElementById('text');"
                        "t.value = t.value.replace('skall tillse', 'ska se till'); t.dispatchEvent(new Event('input'));")
    _settled(page, lambda d: "better" in d.find_element(By.CSS_SELECTOR, "#compare tbody tr:last-child td:last-child")
             .get_attribute("class"))
    row = page.execute_script("return document.querySelector('#compare tbody tr:last-child').innerText;")
    before, after = (int(n) for n in row.split()[-2:])
    assert after == before - 2
    page.find_element(By.ID, "show-before").click()
    assert "skall tillse" in page.find_element(By.ID, "before-text").text
    small = page.execute_script("return parseFloat(getComputedStyle(document.getElementById('text')).fontSize);")
    page.find_element(By.ID, "large").click()
    large = page.execute_script("return parseFloat(getComputedStyle(document.getElementById('text')).fontSize);")
    assert large >= 1.4 * small
    shot = Path(os.environ.get("DOCLINT_SCREENSHOT_DIR", tmp_path)) / "serve-page.png"
    time.sleep(0.3)
    assert page.save_screenshot(str(shot))
    _png_ok(shot)
