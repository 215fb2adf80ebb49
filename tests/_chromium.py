"""Render a page in headless Chromium (Debian's package) and read back what a probe measured.

The probe is a script added before ``</body>``; it writes JSON into ``<pre id="probe">``, which
``--dump-dom`` prints. Without Chromium the test is skipped, and fails under CI=true.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from egovkit.testing.tools import require_executable

#: Measures every SVG chart (is each text inside its viewBox? the labels' text) and whether the
#: page is wider than the window (horizontal overflow).
LAYOUT_PROBE = """<script>
window.addEventListener('load', () => {
  const charts = [...document.querySelectorAll('svg.chart')].map(svg => {
    const width = svg.viewBox.baseVal.width, height = svg.viewBox.baseVal.height;
    const boxes = [...svg.querySelectorAll('text')].map(t => t.getBBox());
    return {
      inside: boxes.every(b => b.x >= 0 && b.y >= 0 && b.x + b.width <= width + 0.5
                          && b.y + b.height <= height + 0.5),
      labels: [...svg.querySelectorAll('text.label')].map(t => t.textContent),
    };
  });
  const wide = [...document.querySelectorAll('body *')].filter(
    e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length;
  const out = document.createElement('pre');
  out.id = 'probe';
  out.textContent = JSON.stringify({charts, wide,
    overflow: document.documentElement.scrollWidth > document.documentElement.clientWidth + 1});
  document.body.appendChild(out);
});
</script>"""


def render_probe(page: str, tmp_path: Path, probe: str = LAYOUT_PROBE) -> dict[str, object]:
    """Load ``page`` with ``probe`` in headless Chromium at 1024×768; the probe's JSON."""
    chromium = require_executable("chromium", "chromium-browser", install="Debian package chromium")
    path = tmp_path / "page.html"
    path.write_text(page.replace("</body>", probe + "</body>"), encoding="utf-8")
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--window-size=1024,768",
         "--virtual-time-budget=3000", f"--user-data-dir={tmp_path / 'profile'}",
         "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    dom = done.stdout
    start = dom.index('<pre id="probe">') + len('<pre id="probe">')
    text = dom[start : dom.index("</pre>", start)]
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&amp;", "&")):
        text = text.replace(entity, char)
    found: dict[str, object] = json.loads(text)
    return found
