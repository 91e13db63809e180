"""Drives the central store's page in Debian's headless chromium (Selenium) as one signed-in person.

Reads a JSON job on stdin: base URL, username, password, the gate credential to ingest with, the
places that must and must not be offered, and where to save screenshots. Prints one JSON line of
findings on stdout; the Swift test (PageBrowserTests) judges them. Exit 0 unless the browser broke.
"""
import json
import sys
import time
import urllib.request
import uuid
from datetime import datetime, timezone

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def uuid7():
    """An RFC 9562 version 7 UUID (the store quarantines records whose id is not one)."""
    value = (int(time.time() * 1000) << 80) | (0x7 << 76) | (uuid.uuid4().int & ((1 << 76) - 1))
    value = (value & ~(0x3 << 62)) | (0x2 << 62)
    return str(uuid.UUID(int=value))


def ingest_fever(job):
    epoch = uuid7()
    now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    gate = job["gate"]
    record = {
        "id": uuid7(), "gate": gate, "journalEpoch": epoch, "seq": 1, "occurredAt": now,
        "clockSynced": True, "bootID": "browser-test", "monotonicNanos": 1, "lane": "north-in", "direction": "in",
        "credential": {"kind": "code", "payload": "FEVER-BROWSER-1", "symbology": "qr"},
        "temperature": {"celsius": 38.7, "kind": "body", "raw": 38.7, "device": "therm-0"},
        "decision": "refer", "reason": "fever", "policyVersion": "browser",
    }
    body = json.dumps({"gate": gate, "records": [record]}).encode()
    request = urllib.request.Request(job["base"] + "/v1/ingest", data=body, method="POST", headers={
        "Content-Type": "application/json", "Authorization": "Bearer " + job["credential"]})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def main():
    job = json.load(sys.stdin)
    shots = job["screenshots"]
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                     "--lang=zh-CN"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    found = {}
    try:
        wait = WebDriverWait(driver, 10)
        driver.get(job["base"] + "/signin")
        found["signinTitle"] = driver.title
        driver.save_screenshot(shots + "/01-signin.png")
        driver.find_element(By.ID, "password").send_keys("wrong password!!")
        driver.find_element(By.ID, "username").send_keys(job["username"])
        driver.find_element(By.ID, "signin").click()
        found["wrongPasswordMessage"] = wait.until(lambda d: d.find_element(By.ID, "signin-error")).text
        driver.find_element(By.ID, "username").send_keys(job["username"])
        driver.find_element(By.ID, "password").send_keys(job["password"])
        driver.find_element(By.ID, "signin").click()
        wait.until(lambda d: d.current_url.endswith("/ui"))
        found["who"] = driver.find_element(By.ID, "who").text
        found["sessionCookieHttpOnly"] = all(c.get("httpOnly") for c in driver.get_cookies() if c["name"] == "cp_session")
        found["sessionCookieSameSite"] = [c.get("sameSite") for c in driver.get_cookies() if c["name"] == "cp_session"]
        found["todayCheckpoints"] = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "#checkpoints tbody tr")]
        driver.save_screenshot(shots + "/02-today.png")

        driver.get(job["base"] + "/ui/ledger")
        found["ledgerPlaces"] = [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#scope option")]
        driver.save_screenshot(shots + "/03-ledger.png")
        href = driver.find_element(By.ID, "export-csv").get_attribute("href")
        found["csv"] = driver.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text().then(t => done([r.status, t.slice(0, 40)])))"
            ".catch(e => done([0, String(e)]));", href)

        driver.get(job["base"] + "/ui/passages?payload=HC-1")
        found["passageRows"] = len(driver.find_elements(By.CSS_SELECTOR, "#passages tbody tr"))

        driver.get(job["base"] + "/ui/alerts")
        wait.until(lambda d: d.find_element(By.ID, "live-state").text == d.find_element(By.ID, "live-state").get_attribute("data-text-live"))
        found["ingestStatus"] = ingest_fever(job)
        started = time.monotonic()
        row = WebDriverWait(driver, 5, poll_frequency=0.05).until(
            lambda d: (d.find_elements(By.CSS_SELECTOR, "#alerts tbody tr.k-fever") or [None])[0])
        found["feverLatencyMs"] = int((time.monotonic() - started) * 1000)
        found["feverRow"] = row.text
        driver.get(job["base"] + "/ui/passages?payload=FEVER-BROWSER-1")
        found["feverPassages"] = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#passages tbody tr")]
        driver.get(job["base"] + "/ui/alerts")
        row = WebDriverWait(driver, 5).until(lambda d: (d.find_elements(By.CSS_SELECTOR, "#alerts tbody tr.k-fever") or [None])[0])
        driver.save_screenshot(shots + "/04-alert.png")
        row.find_element(By.CSS_SELECTOR, ".ack-button").click()
        wait.until(lambda d: job["username"] in d.find_element(By.CSS_SELECTOR, "#alerts tbody tr.k-fever td.ack").text)
        found["acknowledgedCell"] = driver.find_element(By.CSS_SELECTOR, "#alerts tbody tr.k-fever td.ack").text
        driver.save_screenshot(shots + "/05-acknowledged.png")

        if job.get("admin"):
            # Sign out, sign in as the district admin, upload a watch list: preview, then apply.
            driver.find_element(By.ID, "signout").click()
            wait.until(lambda d: d.current_url.endswith("/signin"))
            driver.find_element(By.ID, "username").send_keys(job["admin"])
            driver.find_element(By.ID, "password").send_keys(job["password"])
            driver.find_element(By.ID, "signin").click()
            wait.until(lambda d: d.current_url.endswith("/ui"))
            driver.get(job["base"] + "/ui/watchlist")
            with open(shots + "/watchlist.csv", "w", encoding="utf-8") as csv:
                csv.write("\ufeffcredential,colour,isolation,reason,valid_until\nHC-RED-1,红,是,居家隔离,2099-12-31\nHC-YELLOW-2,yellow,false,复查,\n")
            driver.find_element(By.ID, "csv-file").send_keys(shots + "/watchlist.csv")
            wait.until(lambda d: "HC-RED-1" in d.find_element(By.ID, "csv").get_attribute("value"))
            driver.find_element(By.ID, "preview").click()
            rows = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#preview-table tbody tr"))
            found["previewRows"] = [row.text for row in rows]
            driver.save_screenshot(shots + "/06-watchlist-preview.png")
            driver.find_element(By.ID, "apply").click()
            wait.until(lambda d: d.find_elements(By.ID, "watchlist-message"))
            found["watchListRows"] = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "#watchlist tbody tr")]
            driver.save_screenshot(shots + "/07-watchlist-applied.png")

            driver.get(job["base"] + "/ui/gates")
            driver.find_element(By.ID, "new-gate").send_keys("g9")
            driver.find_element(By.ID, "register").click()
            found["registeredCredential"] = wait.until(lambda d: d.find_element(By.ID, "issued-credential")).text.split()[-1]
            driver.save_screenshot(shots + "/08-gate-registered.png")
            driver.find_element(By.CSS_SELECTOR, "#gate-g9 .rotate").click()
            found["rotatedCredential"] = wait.until(
                lambda d: [e.text.split()[-1] for e in d.find_elements(By.ID, "issued-credential")
                           if e.text.split()[-1] != found["registeredCredential"]] or False)[0]
            driver.find_element(By.CSS_SELECTOR, "#gate-g2 .revoke").click()
            wait.until(lambda d: d.current_url.endswith("/ui/gates"))
            found["gateRows"] = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "#gate-list tbody tr")]

        driver.get(job["base"] + "/ui/alerts?lang=en")
        found["englishHeading"] = driver.find_element(By.TAG_NAME, "h1").text
    finally:
        driver.quit()
    print(json.dumps(found, ensure_ascii=False))


if __name__ == "__main__":
    main()
