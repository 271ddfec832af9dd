"""A W3C WebDriver client for headless Chromium through chromedriver's HTTP API
(https://www.w3.org/TR/webdriver2/), standard library only, so the browser checks need nothing beyond Debian's python3, chromium
and chromium-driver."""
import base64, json, os, socket, subprocess, sys, time, urllib.error, urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C key of an element reference


def add_browser_options(ap):
    """--chromedriver and --chromium, Debian's paths by default."""
    ap.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    ap.add_argument("--chromium", default="/usr/bin/chromium")


def start(options, out):
    """A session in headless Chromium (after the checks a missing browser fails loudly with),
    logging to OUT/chromedriver.log."""
    os.makedirs(out, exist_ok=True)
    for exe in (options.chromedriver, options.chromium):
        if not os.access(exe, os.X_OK):
            sys.exit(f"FAIL: {exe} is missing (Debian: apt-get install chromium chromium-driver)")
    return WebDriver(options.chromedriver, options.chromium, os.path.join(out, "chromedriver.log"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    def __init__(self, chromedriver, chromium, log_path):
        self.port = free_port()
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen([chromedriver, f"--port={self.port}"], stdout=self.log, stderr=self.log)
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                if self.call("GET", "/status").get("ready"):
                    break
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.1)
        else:
            raise SystemExit(f"FAIL: chromedriver did not start (see {log_path})")
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {"binary": chromium, "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--hide-scrollbars"]}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return json.loads(r.read()).get("value")
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{method} {path}: {e.code} {e.read()[:500]!r}")

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def close(self):
        try:
            self.s("DELETE", "")
        finally:
            self.proc.terminate()
            self.proc.wait(10)
            self.log.close()

    # Conveniences on top of the protocol.
    def run(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        return self.s("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def click(self, css):
        self.s("POST", f"/element/{self.find(css)}/click", {})

    def type_into(self, css, text):
        e = self.find(css)
        self.s("POST", f"/element/{e}/clear", {})
        self.s("POST", f"/element/{e}/value", {"text": text})

    def press(self, *keys):
        """Key presses sent to whatever has the focus, as a person types them."""
        actions = []
        for k in keys:
            actions += [{"type": "keyDown", "value": k}, {"type": "keyUp", "value": k}]
        self.s("POST", "/actions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})
        self.s("DELETE", "/actions")

    def wait(self, script, what, timeout=20, *args):
        """Polls a script until it returns something true; fails with `what` after timeout."""
        end = time.time() + timeout
        while time.time() < end:
            value = self.run(script, *args)
            if value:
                return value
            time.sleep(0.1)
        raise RuntimeError(f"timed out waiting for {what}")

    def screenshot(self, path):
        png = base64.b64decode(self.s("GET", "/screenshot"))
        with open(path, "wb") as f:
            f.write(png)
        return len(png)

    def alert_text(self):
        """The text of an open alert (an injected script ran), None when there is none."""
        try:
            return self.s("GET", "/alert/text")
        except RuntimeError:
            return None

    def console(self):
        return self.s("POST", "/se/log", {"type": "browser"}) or []
