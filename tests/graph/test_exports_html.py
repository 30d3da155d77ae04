"""The HTML page: self-contained, offline, and it draws the graph in headless Chromium."""
from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # shared helpers (tests run in importlib mode)
import headless  # noqa: E402
from kg_sample import write_sample  # noqa: E402

import salvage_kg  # noqa: E402
from salvage_kg.graph.exports.style import CATEGORY_COLORS, DEFAULT_CATEGORIES, HIDDEN_PREDICATES, rgb  # noqa: E402
from salvage_kg.graph.flatten import PREDICATES  # noqa: E402
from salvage_kg.ontology.schema import CONCEPT_NS  # noqa: E402

needs_chromium = pytest.mark.skipif(headless.CHROMIUM is None,
                                    reason="Debian's chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return salvage_kg.load(write_sample(tmp_path_factory.mktemp("kg") / "kg.trig"))


@pytest.fixture(scope="module")
def page(dataset, tmp_path_factory):
    return dataset.export("html", tmp_path_factory.mktemp("page") / "graph.html")


def embedded_data(text: str) -> dict:
    m = re.search(r'<script id="kg-data" type="application/json">(.*?)</script>', text, re.S)
    return json.loads(m.group(1))


def default_view(flat) -> tuple[int, int]:
    """What the page shows first: therapies given after a failed treatment and their neighbours, among
    the default node types, without the terminology's is-a-kind-of lines."""
    shown = [e for e in flat.edges if e.predicate not in HIDDEN_PREDICATES
             and {flat.nodes[e.source].category, flat.nodes[e.target].category} <= set(DEFAULT_CATEGORIES)]
    salvage = {e.source for e in shown if e.predicate == "indicated_after"}
    near = salvage | {e.target for e in shown if e.source in salvage} | {e.source for e in shown if e.target in salvage}
    shown = [e for e in shown if e.source in near and e.target in near]
    return len({n for e in shown for n in (e.source, e.target)}), len(shown)


def test_page_is_self_contained(page):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert not re.search(r"<link\b|@import|url\(\s*['\"]?https?:", text, re.I)
    script = text[text.rindex("<script>"):]
    for call in ("fetch(", "XMLHttpRequest", "WebSocket", "EventSource", "sendBeacon", "import(", ".src ="):
        assert call not in script
    assert "default-src 'none'" in text  # the browser itself refuses any request the page might make
    assert text.count("</script>") == 2  # no quote in the data can end a script early


def test_page_embeds_every_statement_with_its_quotes(page, dataset):
    data = embedded_data(page.read_text(encoding="utf-8"))
    flat = dataset.flat
    assert len(data["nodes"]) == len(flat.nodes) and len(data["edges"]) == len(flat.edges)
    assert len(data["statements"]) == len({e.statement for e in flat.edges if e.statement})
    quotes = {q["quote"] for st in data["statements"] for q in st["evidence"]}
    assert "Surgery led to serious complications far more often" in quotes
    assert [s["title"] for s in data["sources"]] == [s.title for s in flat.sources.values()]


def test_data_cannot_break_out_of_its_script(tmp_path):
    from salvage_kg.graph.exports.html import render
    from salvage_kg.graph.flatten import FlatGraph, Node

    evil = FlatGraph({"x": Node("x", "</script><script>alert(1)</script>", "Concept")}, [], {})
    text = render(evil)
    assert text.count("</script>") == 2
    assert embedded_data(text)["nodes"][0]["label"] == "</script><script>alert(1)</script>"


@pytest.mark.browser
@needs_chromium
def test_screenshot_shows_a_drawn_graph(page, dataset, tmp_path):
    shot = headless.screenshot(page, tmp_path / "profile", tmp_path / "shot.png")
    width, height, rows = headless.read_png(shot)
    assert (width, height) == (1200, 800)
    canvas = [row[240 * 3:] for row in rows[50:]]  # right of the sidebar, below the header
    pixels = [tuple(r[i:i + 3]) for r in canvas[::2] for i in range(0, len(r), 6)]
    mean = sum(sum(p) for p in pixels) / (3 * len(pixels))
    variance = sum((sum(p) / 3 - mean) ** 2 for p in pixels) / len(pixels)
    assert variance > 50, "the canvas looks blank"

    def near(p, c):
        return sum(abs(a - b) for a, b in zip(p, c)) < 30

    for category in ("therapy", "prior", "condition", "complication"):
        color = rgb(CATEGORY_COLORS[category])
        assert sum(near(p, color) for p in pixels) >= 5, f"no {category} node drawn"


@pytest.mark.browser
@needs_chromium
def test_page_renders_offline_and_reports_its_counts(page, dataset, tmp_path):
    dom = headless.dump_dom(page, tmp_path / "profile")
    status = re.search(r'<output id="kg-status"([^>]*)>', dom).group(1)
    attrs = dict(re.findall(r'data-(\w+)="([^"]*)"', status))
    nodes, edges = default_view(dataset.flat)
    assert (int(attrs["nodes"]), int(attrs["edges"])) == (nodes, edges)
    assert int(attrs["drawn"]) == nodes
    assert 'data-ready="true"' in dom


PROBE = """<pre id="kg-probe"></pre><script>
(function () {
  var api = window.salvageKG, out = {};
  var violations = 0;
  document.addEventListener("securitypolicyviolation", function () { violations++; });
  out.total = api.totalNodes();
  out.found = api.search("sRP");
  out.selectNode = api.select("%(srp)s");
  out.nodeDetails = api.details();
  out.selectStatement = api.select("%(statement)s");
  out.selection = api.selection();
  out.statementDetails = api.details();
  out.focused = api.focus();
  api.focus(false);
  api.setPredicates(%(predicates)s);
  api.setCategories(["therapy", "complication"]);
  out.therapyAndComplications = api.nodeCount();
  api.setCategories(%(all)s);
  out.allNodes = api.nodeCount();
  api.setSources(["%(source)s"]);
  out.oneSourceEdges = api.edgeCount();
  api.setSources([]);
  out.noSourceEdges = api.edgeCount();
  out.resources = performance.getEntriesByType("resource").length;
  out.violations = violations;
  document.getElementById("kg-probe").textContent = JSON.stringify(out);
})();
</script>"""


@pytest.mark.browser
@needs_chromium
def test_page_api_search_filter_and_evidence(page, dataset, tmp_path):
    flat = dataset.flat
    srp = CONCEPT_NS + "salvage-radical-prostatectomy"
    ae = next(e for e in flat.edges if e.predicate == "has_adverse_effect" and e.attrs.get("odds_ratio"))
    focal = next(s for s in flat.sources if s.endswith("/focal-study"))
    probe = PROBE % {"srp": srp, "statement": ae.statement, "source": focal,
                     "all": json.dumps(list(CATEGORY_COLORS)), "predicates": json.dumps(list(PREDICATES))}
    text = page.read_text(encoding="utf-8").replace("</body>", probe + "</body>")
    probed = tmp_path / "probe.html"
    probed.write_text(text, encoding="utf-8")
    dom = headless.dump_dom(probed, tmp_path / "profile")
    out = json.loads(html.unescape(re.search(r'<pre id="kg-probe">(.*?)</pre>', dom, re.S).group(1)))

    assert out["found"][0] == srp  # found by its abbreviation
    assert out["focused"] is True  # the first view: salvage after a failed treatment
    assert out["selectNode"] is True and "salvage radical prostatectomy" in out["nodeDetails"]
    assert "has adverse effect" in out["nodeDetails"]
    assert out["selectStatement"] is True and out["selection"]["ids"] == [ae.statement]
    assert "Surgery led to serious complications far more often" in out["statementDetails"]
    assert "Focal salvage after radiation (test report)" in out["statementDetails"]
    assert "odds ratio" in out["statementDetails"]
    assert out["therapyAndComplications"] == len({n for e in flat.edges for n in (e.source, e.target)
                                                  if {flat.nodes[e.source].category, flat.nodes[e.target].category}
                                                  <= {"therapy", "complication"}})
    assert out["allNodes"] == out["total"] == len(flat.nodes)
    assert out["oneSourceEdges"] == sum(1 for e in flat.edges if focal in e.sources or not e.sources)
    assert out["noSourceEdges"] == sum(1 for e in flat.edges if not e.sources)
    assert out["resources"] == 0 and out["violations"] == 0  # the page loaded nothing from anywhere


CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


@pytest.mark.browser
@needs_chromium
@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not next to the project")
def test_corpus_page_first_shows_salvage_after_radiotherapy_and_complications(tmp_path):
    try:
        ds = salvage_kg.build(CORPUS, validate=False)
    except ModuleNotFoundError as e:
        pytest.skip(f"extractor not available: {e}")
    flat = ds.flat
    rt = CONCEPT_NS + "radiotherapy"
    options = {e.source for e in flat.edges if e.predicate == "indicated_after" and e.target == rt
               and flat.nodes[e.source].category == "therapy"}  # concrete options, not "salvage therapy" itself
    complications = {e.target for e in flat.edges if e.predicate == "has_adverse_effect" and e.source in options}
    assert len(options) >= 2 and complications
    probe = ('<pre id="kg-probe"></pre><script>document.getElementById("kg-probe").textContent = '
             'JSON.stringify(window.salvageKG.nodes().map(function (n) { return n.id; }));</script>')
    page = ds.export("html", tmp_path / "graph.html")
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", probe + "</body>"), encoding="utf-8")
    dom = headless.dump_dom(page, tmp_path / "profile")
    shown = set(json.loads(html.unescape(re.search(r'<pre id="kg-probe">(.*?)</pre>', dom, re.S).group(1))))
    assert rt in shown
    assert options <= shown, [flat.nodes[n].label for n in options - shown]
    assert complications <= shown, [flat.nodes[n].label for n in complications - shown]
