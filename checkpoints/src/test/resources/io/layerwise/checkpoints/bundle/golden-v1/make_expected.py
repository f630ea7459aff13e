"""Computes expected.json: the probabilities of the golden bundles on fixed inputs, by the README's
numpy snippet (independent of Layerwise's Java reader). Run from the repository root:
    python3 checkpoints/src/test/resources/io/layerwise/checkpoints/bundle/golden-v1/make_expected.py
"""
import json
import re
from pathlib import Path

here = Path(__file__).parent
readme = Path("README.md").read_text()
snippet = re.search(r"<!-- reuse-probe-python:begin -->\s*```python\n(.*?)```\s*<!-- reuse-probe-python:end -->",
                    readme, re.S).group(1)
exec(snippet)

inputs = [[-2.0, -1.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0], [-3.5, 0.25, 1.0, -1.0],
          [1.5, -2.0, -0.75, 2.5], [-1.25, -1.5, 0.5, 0.0], [-2.5, 0.75, -1.0, 3.0]]
expected = {"made_by": "make_expected.py in this directory: the README's numpy snippet (float64) on the bundles here",
            "inputs": inputs}
for kind in ("mlp", "logistic"):
    card, t = load_probe(here / kind)
    expected[kind] = [float(p) for p in probabilities(card, t, np.array(inputs))]
(here / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
print(json.dumps(expected))
